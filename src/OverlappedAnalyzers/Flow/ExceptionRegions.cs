using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow
{
    /// <summary>
    /// Questions about exceptional flow shared by the dataflows: whether a catch clause may catch what a throw
    /// throws. When in doubt the answer is yes, so the handler receives the state: precision first.
    /// </summary>
    internal static class ExceptionRegions
    {
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
