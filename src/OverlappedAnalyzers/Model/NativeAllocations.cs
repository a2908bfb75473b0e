using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Model
{
    /// <summary>Which allocator a block or handle came from; decides the rule (OVL003/OVL005) and the matching free.</summary>
    internal enum AllocationFamily
    {
        GCHandle,
        TypedGCHandle,
        HGlobal,
        CoTaskMem,
        NativeMemory,
        AlignedNativeMemory,
    }

    /// <summary>
    /// The allocation and free calls OVL003/OVL005 know: <c>GCHandle.Alloc</c>, <c>new GCHandle&lt;T&gt;</c>,
    /// <c>new PinnedGCHandle&lt;T&gt;</c>, <c>Marshal.AllocHGlobal/AllocCoTaskMem</c>, <c>NativeMemory.Alloc/AllocZeroed/AlignedAlloc</c>
    /// and their frees, plus the framework calls that only read or write through a pointer (never keep it).
    /// </summary>
    internal sealed class NativeAllocations
    {
        /// <summary>The text gate: a code block without one of these identifiers cannot allocate.</summary>
        public static readonly ImmutableArray<string> GateNames = ImmutableArray.Create(
            "Alloc", "AllocHGlobal", "AllocCoTaskMem", "AllocZeroed", "AlignedAlloc", "GCHandle", "PinnedGCHandle");

        /// <summary>Parameter names of pointer-taking framework calls that read or write through the pointer and keep nothing.</summary>
        private static readonly ImmutableHashSet<string> AccessParameterNames = ImmutableHashSet.Create(
            "ptr", "source", "destination", "pointer", "address", "ptr1", "ptr2", "startAddress", "dest", "src");

        private readonly KnownSymbols symbols;
        private readonly INamedTypeSymbol? buffer;
        private readonly INamedTypeSymbol? unsafeType;
        private readonly INamedTypeSymbol? span;
        private readonly INamedTypeSymbol? readOnlySpan;

        public NativeAllocations(KnownSymbols symbols, Compilation compilation)
        {
            this.symbols = symbols;
            buffer = compilation.GetTypeByMetadataName("System.Buffer");
            unsafeType = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.Unsafe");
            span = compilation.GetTypeByMetadataName("System.Span`1");
            readOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        }

        public KnownSymbols Symbols => symbols;

        /// <summary>True when no allocator exists in the compilation: the analyzer registers nothing.</summary>
        public bool IsEmpty => symbols.GCHandle is null && symbols.Marshal is null && symbols.NativeMemory is null;

        public bool TryGetAllocation(IOperation operation, out AllocationFamily family)
        {
            family = default;
            switch (operation)
            {
                case IInvocationOperation { TargetMethod: { IsStatic: true } method }:
                    var type = method.ContainingType;
                    if (Is(type, symbols.GCHandle) && method.Name == "Alloc")
                    {
                        family = AllocationFamily.GCHandle;
                        return true;
                    }

                    if (Is(type, symbols.Marshal))
                    {
                        family = AllocationFamily.HGlobal;
                        if (method.Name == "AllocHGlobal")
                        {
                            return true;
                        }

                        family = AllocationFamily.CoTaskMem;
                        return method.Name == "AllocCoTaskMem";
                    }

                    if (Is(type, symbols.NativeMemory))
                    {
                        family = method.Name == "AlignedAlloc" ? AllocationFamily.AlignedNativeMemory : AllocationFamily.NativeMemory;
                        return method.Name is "Alloc" or "AllocZeroed" or "AlignedAlloc";
                    }

                    return false;

                case IObjectCreationOperation { Type: INamedTypeSymbol created, Arguments.Length: > 0 }:
                    family = AllocationFamily.TypedGCHandle;
                    return IsTypedHandle(created);

                default:
                    return false;
            }
        }

        /// <summary>A free: <c>h.Free()</c>, <c>typed.Dispose()</c>, <c>Marshal.FreeHGlobal(p)</c>, <c>NativeMemory.Free(p)</c>, ...; <paramref name="operand"/> is what it frees.</summary>
        public bool IsFree(IInvocationOperation call, out IOperation? operand)
        {
            operand = null;
            var method = call.TargetMethod;
            var type = method.ContainingType;
            if (!method.IsStatic)
            {
                if ((Is(type, symbols.GCHandle) && method.Name == "Free") || (IsTypedHandle(type) && method.Name == "Dispose"))
                {
                    operand = call.Instance;
                    return operand != null;
                }

                return false;
            }

            if (call.Arguments.Length != 1)
            {
                return false;
            }

            if ((Is(type, symbols.Marshal) && method.Name is "FreeHGlobal" or "FreeCoTaskMem")
                || (Is(type, symbols.NativeMemory) && method.Name is "Free" or "AlignedFree"))
            {
                operand = call.Arguments[0].Value;
                return true;
            }

            return false;
        }

        /// <summary><c>GCHandle.ToIntPtr(h)</c> / <c>GCHandle.FromIntPtr(p)</c>: the same handle in another shape.</summary>
        public bool IsHandleConversion(IMethodSymbol method) =>
            method.IsStatic && Is(method.ContainingType, symbols.GCHandle) && method.Name is "ToIntPtr" or "FromIntPtr";

        /// <summary>A framework call that reads or writes through the pointer argument and does not keep it.</summary>
        public bool IsAccessOnly(IMethodSymbol method, IParameterSymbol? parameter)
        {
            if (parameter is null || !AccessParameterNames.Contains(parameter.Name))
            {
                return false;
            }

            var type = method.ContainingType;
            if (Is(type, symbols.Marshal))
            {
                return !method.Name.StartsWith("Free", System.StringComparison.Ordinal)
                    && !method.Name.StartsWith("ReAlloc", System.StringComparison.Ordinal)
                    && !method.Name.StartsWith("ZeroFree", System.StringComparison.Ordinal);
            }

            if (Is(type, symbols.NativeMemory))
            {
                return method.Name is "Clear" or "Copy" or "Fill";
            }

            return Is(type, buffer) || Is(type, unsafeType);
        }

        /// <summary><c>IntPtr.Add(p, offset)</c>, <c>IntPtr.Subtract(p, offset)</c>: the same block at another address, like <c>p + offset</c>.</summary>
        public bool IsPointerArithmetic(IMethodSymbol method) =>
            method.IsStatic
            && method.ContainingType?.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            && method.Name is "Add" or "Subtract";

        /// <summary><c>new Span&lt;T&gt;(p, n)</c> reads the memory, it does not own it.</summary>
        public bool IsSpanOver(IMethodSymbol constructor) =>
            constructor.MethodKind == MethodKind.Constructor
            && (Is(constructor.ContainingType.OriginalDefinition, span) || Is(constructor.ContainingType.OriginalDefinition, readOnlySpan));

        /// <summary>The type a field or local needs to hold an allocation: GCHandle, IntPtr/UIntPtr, a pointer, GCHandle&lt;T&gt;.</summary>
        public bool IsHolderType(ITypeSymbol? type) =>
            type != null
            && (type.TypeKind == TypeKind.Pointer
                || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr
                || Is(type, symbols.GCHandle)
                || (type is INamedTypeSymbol named && IsTypedHandle(named)));

        public static DiagnosticDescriptor DescriptorFor(AllocationFamily family) =>
            family is AllocationFamily.GCHandle or AllocationFamily.TypedGCHandle ? Descriptors.OVL003 : Descriptors.OVL005;

        /// <summary>
        /// The statement that frees <paramref name="name"/> (a local or member of <paramref name="holderType"/>), qualified as the
        /// allocation call was (<c>Marshal.AllocHGlobal</c> → <c>Marshal.FreeHGlobal(p);</c>).
        /// </summary>
        public static string FreeStatement(AllocationFamily family, string name, ITypeSymbol? holderType, SyntaxNode allocation)
        {
            var qualifier = Qualifier(allocation);
            var isPointer = holderType?.TypeKind == TypeKind.Pointer;
            switch (family)
            {
                case AllocationFamily.GCHandle:
                    return holderType?.SpecialType is SpecialType.System_IntPtr
                        ? qualifier + "FromIntPtr(" + name + ").Free();"
                        : name + ".Free();";
                case AllocationFamily.TypedGCHandle:
                    return name + ".Dispose();";
                case AllocationFamily.HGlobal:
                    return qualifier + "FreeHGlobal(" + (isPointer ? "(System.IntPtr)" + name : name) + ");";
                case AllocationFamily.CoTaskMem:
                    return qualifier + "FreeCoTaskMem(" + (isPointer ? "(System.IntPtr)" + name : name) + ");";
                case AllocationFamily.NativeMemory:
                    return qualifier + "Free(" + (isPointer ? name : "(void*)" + name) + ");";
                default:
                    return qualifier + "AlignedFree(" + (isPointer ? name : "(void*)" + name) + ");";
            }
        }

        /// <summary>The test that the holder still owns something: <c>h.IsAllocated</c>, <c>p != IntPtr.Zero</c>, <c>p != null</c>.</summary>
        public static string AllocatedTest(string name, ITypeSymbol holderType) =>
            holderType.TypeKind == TypeKind.Pointer ? name + " != null"
            : holderType.SpecialType is SpecialType.System_IntPtr ? name + " != System.IntPtr.Zero"
            : holderType.SpecialType is SpecialType.System_UIntPtr ? name + " != System.UIntPtr.Zero"
            : name + ".IsAllocated";

        /// <summary>The statement that forgets a freed pointer so a second Dispose does not free it again; null for handles (Free clears them).</summary>
        public static string? ResetStatement(string name, ITypeSymbol holderType) =>
            holderType.TypeKind == TypeKind.Pointer ? name + " = null;"
            : holderType.SpecialType is SpecialType.System_IntPtr ? name + " = System.IntPtr.Zero;"
            : holderType.SpecialType is SpecialType.System_UIntPtr ? name + " = System.UIntPtr.Zero;"
            : null;

        public static string AllocatorName(IOperation allocation) => allocation switch
        {
            IInvocationOperation call => call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name,
            IObjectCreationOperation creation => "new " + creation.Type?.Name,
            _ => allocation.Syntax.ToString(),
        };

        private static string Qualifier(SyntaxNode allocation)
        {
            for (var node = allocation; node != null; node = node.Parent)
            {
                if (node is InvocationExpressionSyntax invocation)
                {
                    return invocation.Expression is MemberAccessExpressionSyntax access ? access.Expression + "." : string.Empty;
                }
            }

            return string.Empty;
        }

        private bool IsTypedHandle(INamedTypeSymbol? type) =>
            type != null && (Is(type.OriginalDefinition, symbols.GenericGCHandle) || Is(type.OriginalDefinition, symbols.PinnedGCHandle));

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
            known != null && SymbolEqualityComparer.Default.Equals(type, known);
    }
}
