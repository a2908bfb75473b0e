using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>A receiver started somewhere in the graph being analysed; its index addresses per-block state arrays.</summary>
    internal sealed class TrackedReceiver
    {
        public TrackedReceiver(int index, StartSite firstSite)
        {
            Index = index;
            FirstSite = firstSite;
        }

        public int Index { get; }

        /// <summary>The first start of this receiver in source order: its syntax names the receiver in fixes.</summary>
        public StartSite FirstSite { get; }

        public ReceiverKey Key => FirstSite.Receiver;

        public PairKind Kind => FirstSite.Kind;

        public ConfiguredPair? Configured => FirstSite.Configured;

        public ITypeSymbol? Type => FirstSite.ReceiverType;

        public bool SamePair(PairKind kind, ConfiguredPair? configured) => Kind == kind && ReferenceEquals(Configured, configured);
    }
}
