using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Questions about exceptional flow shared by the dataflows: where an exception goes, and whether a catch clause
    /// may catch what a throw throws. When in doubt the answer is yes, so the handler receives the state: precision first.
    /// </summary>
    internal static class ExceptionRegions
    {
        /// <summary>The exception's own type: lowering converts the thrown object to System.Exception.</summary>
        public static ITypeSymbol? ThrownType(IOperation? thrown) =>
            thrown is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : thrown?.Type;

        /// <summary>What a rethrow rethrows: the type its enclosing catch clause caught.</summary>
        public static ITypeSymbol? HandlerExceptionType(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                {
                    return region.ExceptionType;
                }
            }

            return null;
        }

        /// <summary>
        /// The route of an exception of <paramref name="thrownType"/> (null: unknown) raised in <paramref name="block"/>:
        /// the finally regions of the try-finallies it leaves, then the handlers of the innermost try-catch with a
        /// handler that may catch it.
        /// </summary>
        public static ExceptionRoute Route(BasicBlock block, ITypeSymbol? thrownType)
        {
            var finallyRegions = ImmutableArray.CreateBuilder<ControlFlowRegion>();
            for (var region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                var parent = region.EnclosingRegion;
                if (region.Kind != ControlFlowRegionKind.Try || parent is null)
                {
                    continue;
                }

                if (parent.Kind == ControlFlowRegionKind.TryAndCatch)
                {
                    var handlers = ImmutableArray.CreateBuilder<ControlFlowRegion>();
                    for (var i = 1; i < parent.NestedRegions.Length; i++)
                    {
                        if (MayCatch(parent.NestedRegions[i].ExceptionType, thrownType))
                        {
                            handlers.Add(parent.NestedRegions[i]);
                        }
                    }

                    if (handlers.Count > 0)
                    {
                        return new ExceptionRoute(finallyRegions.ToImmutable(), handlers.ToImmutable());
                    }
                }
                else if (parent.Kind == ControlFlowRegionKind.TryAndFinally)
                {
                    finallyRegions.Add(parent.NestedRegions[1]);
                }
            }

            return new ExceptionRoute(finallyRegions.ToImmutable(), ImmutableArray<ControlFlowRegion>.Empty);
        }

        /// <summary>
        /// The catch handlers of every try region that begins at <paramref name="block"/>: code in a try may throw
        /// anywhere, so they see the state at try entry.
        /// </summary>
        public static IEnumerable<ControlFlowRegion> HandlersOfTriesStartingAt(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region != null && region.FirstBlockOrdinal == block.Ordinal; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    for (var i = 1; i < tryAndCatch.NestedRegions.Length; i++)
                    {
                        yield return tryAndCatch.NestedRegions[i];
                    }
                }
            }
        }

        public static bool MayCatch(ITypeSymbol? catchType, ITypeSymbol? thrownType)
        {
            if (catchType is null || catchType.SpecialType == SpecialType.System_Object || thrownType is null || thrownType.TypeKind == TypeKind.Error)
            {
                return true;
            }

            return DerivesFrom(thrownType, catchType) || DerivesFrom(catchType, thrownType);
        }

        private static bool DerivesFrom(ITypeSymbol type, ITypeSymbol baseType)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
