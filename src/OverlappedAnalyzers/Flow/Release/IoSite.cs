using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// One asynchronous I/O call of a graph: what it was handed (the OVERLAPPED and the buffers it lends), where its
    /// result goes, and how that result says "failed or pending".
    /// </summary>
    internal sealed class IoSite
    {
        public IoSite(
            int index,
            IInvocationOperation call,
            string callName,
            IoResultConvention convention,
            ReceiverKey? overlapped,
            ImmutableArray<ReceiverKey> overlappedKeys,
            ImmutableArray<ReceiverKey> bufferKeys,
            ILocalSymbol? resultLocal,
            string overlappedText)
        {
            Index = index;
            Call = call;
            CallName = callName;
            Convention = convention;
            Overlapped = overlapped;
            OverlappedKeys = overlappedKeys;
            BufferKeys = bufferKeys;
            ResultLocal = resultLocal;
            OverlappedText = overlappedText;
        }

        public int Index { get; }

        public IInvocationOperation Call { get; }

        /// <summary>The name users know the call by (<c>WSARecv</c>, <c>AcceptEx</c>).</summary>
        public string CallName { get; }

        public IoResultConvention Convention { get; }

        /// <summary>The asynchronous overlapped itself: the started receiver, or the argument when the call is always overlapped.</summary>
        public ReceiverKey? Overlapped { get; }

        /// <summary>What finishing or freeing releases the OVERLAPPED: the argument and the objects it was reached through.</summary>
        public ImmutableArray<ReceiverKey> OverlappedKeys { get; }

        /// <summary>The pointers and handles lent to the call besides the OVERLAPPED (the buffer the kernel writes).</summary>
        public ImmutableArray<ReceiverKey> BufferKeys { get; }

        /// <summary>The local the result was stored in (<c>int ok = ReadFile(...)</c>), tested later.</summary>
        public ILocalSymbol? ResultLocal { get; }

        /// <summary>The overlapped's name for the message.</summary>
        public string OverlappedText { get; }
    }
}
