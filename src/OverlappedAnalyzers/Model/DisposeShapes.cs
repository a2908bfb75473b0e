using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The symbol-level questions of OVL004: which methods are a type's Dispose, which fields hold an overlapped
    /// the type may own, and which calls release native resources. Pure functions of symbols, no binding.
    /// </summary>
    internal static class DisposeShapes
    {
        private const string DisposeName = "Dispose";

        /// <summary>
        /// The compilation-wide fast path: true when some source type or member is named like an overlapped
        /// (or declares Complete), or a non-framework reference defines a type named like one.
        /// </summary>
        public static bool MayContainOverlapped(Compilation compilation)
        {
            if (compilation.ContainsSymbolsWithName(IsOverlappedName, SymbolFilter.TypeAndMember))
            {
                return true;
            }

            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                var name = assembly.Identity.Name;
                if (name.StartsWith("System", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft", StringComparison.Ordinal)
                    || name == "mscorlib"
                    || name == "netstandard")
                {
                    continue;
                }

                foreach (var typeName in assembly.TypeNames)
                {
                    if (typeName.IndexOf("Overlapped", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Dispose(), Dispose(bool) and an explicit IDisposable.Dispose declared by <paramref name="type"/> itself.</summary>
        public static ImmutableArray<IMethodSymbol> DisposeMethods(INamedTypeSymbol type)
        {
            var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && IsDisposeMethod(method))
                {
                    builder.Add(method);
                }
            }

            return builder.ToImmutable();
        }

        public static bool IsDisposeMethod(IMethodSymbol method)
        {
            if (method.IsStatic || method.MethodKind is not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation) || !method.ReturnsVoid)
            {
                return false;
            }

            if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation)
            {
                foreach (var implemented in method.ExplicitInterfaceImplementations)
                {
                    if (implemented.Name == DisposeName && implemented.ContainingType.SpecialType == SpecialType.System_IDisposable)
                    {
                        return true;
                    }
                }

                return false;
            }

            return method.Name == DisposeName
                && (method.Parameters.Length == 0
                    || (method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean && method.Parameters[0].RefKind == RefKind.None));
        }

        /// <summary>The Dispose(bool) of the pattern when declared, else the parameterless (or explicit) Dispose.</summary>
        public static IMethodSymbol? PrimaryDispose(ImmutableArray<IMethodSymbol> disposeMethods)
        {
            IMethodSymbol? parameterless = null;
            foreach (var method in disposeMethods)
            {
                if (method.Parameters.Length == 1)
                {
                    return method;
                }

                parameterless ??= method;
            }

            return parameterless;
        }

        public static bool ImplementsIDisposable(INamedTypeSymbol type)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.SpecialType == SpecialType.System_IDisposable)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Instance fields declared by <paramref name="owner"/> whose type is overlapped-like and can be disposed
        /// (a parameterless instance Dispose or IDisposable). Fields of the owner's own type (free lists) are links, not owned blocks.
        /// </summary>
        public static ImmutableArray<IFieldSymbol> OverlappedFields(INamedTypeSymbol owner)
        {
            ImmutableArray<IFieldSymbol>.Builder? builder = null;
            foreach (var member in owner.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false } field
                    && field.Type is INamedTypeSymbol fieldType
                    && fieldType.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface
                    && !SymbolEqualityComparer.Default.Equals(fieldType.OriginalDefinition, owner.OriginalDefinition)
                    && OperationPairs.IsOverlappedLike(fieldType)
                    && IsDisposable(fieldType))
                {
                    (builder ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
                }
            }

            return builder?.ToImmutable() ?? ImmutableArray<IFieldSymbol>.Empty;
        }

        public static bool IsDisposable(ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_IDisposable)
            {
                return true;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.SpecialType == SpecialType.System_IDisposable)
                {
                    return true;
                }
            }

            for (var current = type; current != null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(DisposeName))
                {
                    if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: not Accessibility.Private })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// What a call releases, when it is one of the primitive frees the deferred Dispose and the completion
        /// side must agree on; null for any other call.
        /// </summary>
        public static string? PrimitiveFreeKind(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            var containing = method.ContainingType;
            if (containing is null)
            {
                return null;
            }

            switch (method.Name)
            {
                case "FreeHGlobal" or "FreeCoTaskMem" or "FreeBSTR" when IsFramework(containing, "System.Runtime.InteropServices", "Marshal"):
                case "Free" or "AlignedFree" when IsFramework(containing, "System.Runtime.InteropServices", "NativeMemory"):
                case "FreeNativeOverlapped" when IsFramework(containing, "System.Threading", "ThreadPoolBoundHandle"):
                case "Free" when method.IsStatic && IsFramework(containing, "System.Threading", "Overlapped"):
                    return containing.Name + "." + method.Name;
                case "Free" when !method.IsStatic && IsFramework(containing, "System.Runtime.InteropServices", "GCHandle"):
                    return "GCHandle.Free";
                case DisposeName when !method.IsStatic && method.Parameters.Length == 0 && call.Instance is IFieldReferenceOperation { Field.IsStatic: false } field:
                    // A SafeHandle or MemoryHandle field released by its own Dispose.
                    return "Dispose:" + field.Field.Name;
                default:
                    return null;
            }
        }

        private static bool IsFramework(INamedTypeSymbol type, string ns, string name) =>
            type.Name == name && type.ContainingType is null && type.ContainingNamespace?.ToDisplayString() == ns;

        public static HashSet<ISymbol> NewSymbolSet() => new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        private static bool IsOverlappedName(string name) =>
            name.IndexOf("Overlapped", StringComparison.OrdinalIgnoreCase) >= 0 || name == OperationPairs.Complete;
    }
}
