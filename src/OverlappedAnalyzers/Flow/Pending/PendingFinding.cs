using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Flow.Pending
{
    internal enum FindingKind
    {
        /// <summary>OVL001: leaves after a synchronous failure without finishing.</summary>
        NotCompleted,

        /// <summary>OVL002: finished another overlapped of the same type instead.</summary>
        WrongOverlapped,

        /// <summary>OVL006: started after a native call already had its OVERLAPPED.</summary>
        StartedAfterIoCall,
    }

    /// <summary>A path on which a started receiver leaks: a finding of one of the sync-failure rules.</summary>
    internal sealed class PendingFinding
    {
        public PendingFinding(FindingKind kind, SyntaxNode node, TrackedReceiver receiver, ExitKind exitKind, ImmutableArray<IOperation> starts, IOperation? wrongFinish)
        {
            Kind = kind;
            Node = node;
            Receiver = receiver;
            ExitKind = exitKind;
            Starts = starts;
            WrongFinish = wrongFinish;
        }

        public FindingKind Kind { get; }

        /// <summary>Where RULES.md reports: the exit (OVL001), the wrong finish call (OVL002), the late start (OVL006).</summary>
        public SyntaxNode Node { get; }

        public TrackedReceiver Receiver { get; }

        public ExitKind ExitKind { get; }

        /// <summary>The start calls that reach the exit (for OVL006: the native calls before the start), in source order.</summary>
        public ImmutableArray<IOperation> Starts { get; }

        public IOperation? WrongFinish { get; }
    }
}
