using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The calls after which the memory or handle they are given no longer belongs to the caller:
    /// <c>Overlapped.Free(p)</c>, <c>handle.FreeNativeOverlapped(p)</c>, <c>Marshal.FreeHGlobal/FreeCoTaskMem(p)</c>,
    /// <c>NativeMemory.Free/AlignedFree(p)</c>, <c>h.Free()</c> (and a typed GCHandle's <c>Dispose()</c>).
    /// </summary>
    internal sealed class ReleaseCalls
    {
        /// <summary>The text gate: a code block naming none of these cannot free anything.</summary>
        public static readonly System.Collections.Immutable.ImmutableArray<string> GateNames = System.Collections.Immutable.ImmutableArray.Create(
            "Free", "FreeNativeOverlapped", "FreeHGlobal", "FreeCoTaskMem", "AlignedFree");

        private readonly KnownSymbols symbols;
        private readonly NativeAllocations allocations;

        public ReleaseCalls(KnownSymbols symbols, NativeAllocations allocations)
        {
            this.symbols = symbols;
            this.allocations = allocations;
        }

        public KnownSymbols Symbols => symbols;

        public NativeAllocations Allocations => allocations;

        /// <summary>True when <paramref name="call"/> frees something; <paramref name="operand"/> denotes what.</summary>
        public bool IsRelease(IInvocationOperation call, out IOperation? operand)
        {
            operand = null;
            var method = call.TargetMethod;
            if (method.Name == "Free" && method.IsStatic && call.Arguments.Length == 1 && Is(method.ContainingType, symbols.ThreadingOverlapped))
            {
                operand = call.Arguments[0].Value;
                return true;
            }

            if (method.Name == "FreeNativeOverlapped" && !method.IsStatic && call.Arguments.Length == 1 && Is(method.ContainingType, symbols.ThreadPoolBoundHandle))
            {
                operand = call.Arguments[0].Value;
                return true;
            }

            return allocations.IsFree(call, out operand);
        }

        /// <summary>
        /// A framework call that reads through a freed pointer or handle: <c>Overlapped.Unpack(p)</c>,
        /// <c>ThreadPoolBoundHandle.GetNativeOverlappedState(p)</c>, <c>Marshal.Read*/Copy/PtrToStructure</c>,
        /// <c>NativeMemory.Copy/Clear/Fill</c>, <c>Buffer.MemoryCopy</c>, <c>Unsafe.*</c>, a span over the memory.
        /// </summary>
        public bool ReadsThrough(IMethodSymbol method, IParameterSymbol? parameter)
        {
            if (method.IsStatic && method.Name is "Unpack" or "UnsafeUnpack" && Is(method.ContainingType, symbols.ThreadingOverlapped))
            {
                return true;
            }

            if (method.IsStatic && method.Name == "GetNativeOverlappedState" && Is(method.ContainingType, symbols.ThreadPoolBoundHandle))
            {
                return true;
            }

            return allocations.IsAccessOnly(method, parameter) || allocations.IsSpanOver(method);
        }

        /// <summary><c>h.Target</c> and <c>h.AddrOfPinnedObject()</c> read the object table entry a freed handle no longer owns.</summary>
        public bool IsHandleRead(ISymbol member) =>
            !member.IsStatic && Is(member.ContainingType, symbols.GCHandle) && member.Name is "Target" or "AddrOfPinnedObject";

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
            known != null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
    }
}
