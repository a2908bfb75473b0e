using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The framework types the rules talk about, resolved once per compilation.
    /// Any of them may be null: a compilation that references none of them cannot contain their patterns.
    /// </summary>
    internal sealed class KnownSymbols
    {
        private KnownSymbols(Compilation compilation)
        {
            GCHandle = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.GCHandle");
            GenericGCHandle = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.GCHandle`1");
            PinnedGCHandle = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.PinnedGCHandle`1");
            Marshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshal");
            NativeMemory = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.NativeMemory");
            ThreadPoolBoundHandle = compilation.GetTypeByMetadataName("System.Threading.ThreadPoolBoundHandle");
            ThreadingOverlapped = compilation.GetTypeByMetadataName("System.Threading.Overlapped");
            NativeOverlapped = compilation.GetTypeByMetadataName("System.Threading.NativeOverlapped");
            SocketError = compilation.GetTypeByMetadataName("System.Net.Sockets.SocketError");
            DoesNotReturnAttribute = compilation.GetTypeByMetadataName("System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute");
            IntPtr = compilation.GetSpecialType(SpecialType.System_IntPtr);
            IDisposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        }

        public INamedTypeSymbol? GCHandle { get; }
        public INamedTypeSymbol? GenericGCHandle { get; }
        public INamedTypeSymbol? PinnedGCHandle { get; }
        public INamedTypeSymbol? Marshal { get; }
        public INamedTypeSymbol? NativeMemory { get; }
        public INamedTypeSymbol? ThreadPoolBoundHandle { get; }
        public INamedTypeSymbol? ThreadingOverlapped { get; }
        public INamedTypeSymbol? NativeOverlapped { get; }
        public INamedTypeSymbol? SocketError { get; }
        public INamedTypeSymbol? DoesNotReturnAttribute { get; }
        public INamedTypeSymbol IntPtr { get; }
        public INamedTypeSymbol IDisposable { get; }

        public static KnownSymbols Create(Compilation compilation) => new KnownSymbols(compilation);

        /// <summary>True when <paramref name="method"/> never returns normally: [DoesNotReturn], by attribute type or by name (polyfills).</summary>
        public bool IsDoesNotReturn(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                var type = attribute.AttributeClass;
                if (type is null)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(type, DoesNotReturnAttribute)
                    || (type.Name == "DoesNotReturnAttribute" && type.ContainingNamespace?.ToDisplayString() == "System.Diagnostics.CodeAnalysis"))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
