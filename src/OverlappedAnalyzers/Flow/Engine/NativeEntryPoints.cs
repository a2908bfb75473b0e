using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Calls that hand their arguments to native code: P/Invoke (<c>extern</c>, <c>[DllImport]</c>, <c>[LibraryImport]</c>),
    /// delegates (AcceptEx and ConnectEx are reached through WSAIoctl-loaded function pointers wrapped in delegates, and
    /// completion callbacks are delegates) and function pointers. A source helper with a body is not one: what it does
    /// with a pointer is its own business.
    /// </summary>
    internal static class NativeEntryPoints
    {
        public static bool IsNativeOrDelegate(IMethodSymbol method) =>
            method.IsExtern
            || method.MethodKind == MethodKind.DelegateInvoke
            || method.MethodKind == MethodKind.FunctionPointerSignature
            || method.GetDllImportData() != null
            || IsLibraryImport(method.PartialDefinitionPart ?? method);

        /// <summary>True for a method of this compilation that has a body (a helper the analysis may read).</summary>
        public static bool IsInSource(IMethodSymbol method) => !method.OriginalDefinition.DeclaringSyntaxReferences.IsEmpty;

        /// <summary>[LibraryImport] declares a partial method whose generated body marshals and calls the real P/Invoke.</summary>
        private static bool IsLibraryImport(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "LibraryImportAttribute" } attributeClass
                    && attributeClass.ContainingNamespace?.ToDisplayString() == "System.Runtime.InteropServices")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
