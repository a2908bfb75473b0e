using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.UseAfterFree
{
    /// <summary>An operation that touches a pointer or handle, and what it touches: the solver asks whether that was freed.</summary>
    internal readonly struct FreedUse
    {
        public FreedUse(FreedUseKind kind, IOperation operation, ReceiverKey key, string? callee)
        {
            Kind = kind;
            Operation = operation;
            Key = key;
            Callee = callee;
        }

        public FreedUseKind Kind { get; }

        /// <summary>The use, where the diagnostic goes: the dereference, the call, the second free.</summary>
        public IOperation Operation { get; }

        public ReceiverKey Key { get; }

        /// <summary>The called method for reads and lends (<c>WSAGetOverlappedResult</c>), for the message.</summary>
        public string? Callee { get; }
    }
}
