using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Model
{
    /// <summary>A call that starts an overlapped operation, and the receiver it starts.</summary>
    internal sealed class StartSite
    {
        public StartSite(PairKind kind, IInvocationOperation call, ReceiverKey receiver, IOperation receiverOperation, ConfiguredPair? configured, IOperation? ownerOperation)
        {
            Kind = kind;
            Call = call;
            Receiver = receiver;
            ReceiverOperation = receiverOperation;
            Configured = configured;
            OwnerOperation = ownerOperation;
        }

        public PairKind Kind { get; }

        public IInvocationOperation Call { get; }

        /// <summary>The object (convention pairs) or pointer (native-overlapped pairs) that must be finished.</summary>
        public ReceiverKey Receiver { get; }

        /// <summary>The operation that denotes the receiver at the start: the call's instance, or the assignment target of the returned pointer.</summary>
        public IOperation ReceiverOperation { get; }

        public ConfiguredPair? Configured { get; }

        /// <summary>For ThreadPoolBoundHandle pairs: the handle whose FreeNativeOverlapped must be called.</summary>
        public IOperation? OwnerOperation { get; }

        public ITypeSymbol? ReceiverType => ReceiverOperation.Type;
    }
}
