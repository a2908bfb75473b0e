using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow
{
    /// <summary>A path on which a started receiver leaves unfinished after a synchronous failure.</summary>
    internal sealed class PendingFinding
    {
        public PendingFinding(bool wrongOverlapped, SyntaxNode node, TrackedReceiver receiver, ExitKind exitKind, ImmutableArray<IOperation> starts, IOperation? wrongFinish)
        {
            WrongOverlapped = wrongOverlapped;
            Node = node;
            Receiver = receiver;
            ExitKind = exitKind;
            Starts = starts;
            WrongFinish = wrongFinish;
        }

        /// <summary>True for OVL002 (another overlapped was finished instead), false for OVL001.</summary>
        public bool WrongOverlapped { get; }

        /// <summary>Where RULES.md reports: the exit (OVL001) or the wrong finish call (OVL002).</summary>
        public SyntaxNode Node { get; }

        public TrackedReceiver Receiver { get; }

        public ExitKind ExitKind { get; }

        /// <summary>The start calls that reach the exit, in source order.</summary>
        public ImmutableArray<IOperation> Starts { get; }

        public IOperation? WrongFinish { get; }
    }
}
