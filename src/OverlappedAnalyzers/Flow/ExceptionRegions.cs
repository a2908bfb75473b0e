using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow
{
    /// <summary>
    /// Questions about exceptional flow shared by the dataflows: whether a catch clause may catch what a throw
    /// throws. When in doubt the answer is yes, so the handler receives the state: precision first.
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
