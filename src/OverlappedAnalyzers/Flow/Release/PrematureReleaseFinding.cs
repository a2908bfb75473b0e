using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>What was done too early.</summary>
    internal enum PrematureKind
    {
        /// <summary>The OVERLAPPED was finished or freed.</summary>
        OverlappedReleased,

        /// <summary>The buffer lent to the call was freed.</summary>
        BufferReleased,

        /// <summary>A throw (or an always-throwing helper) reports the operation as failed.</summary>
        ReportedAsFailed,
    }

    /// <summary>An OVL007 finding: where, which I/O call, and what was released (null for a throw).</summary>
    internal sealed class PrematureReleaseFinding
    {
        public PrematureReleaseFinding(PrematureKind kind, SyntaxNode node, IoSite site, string? releaseName, string? releasedName)
        {
            Kind = kind;
            Node = node;
            Site = site;
            ReleaseName = releaseName;
            ReleasedName = releasedName;
        }

        public PrematureKind Kind { get; }

        public SyntaxNode Node { get; }

        public IoSite Site { get; }

        /// <summary>The release method (<c>FreeNativeOverlapped</c>, <c>Complete</c>).</summary>
        public string? ReleaseName { get; }

        /// <summary>What it released (the overlapped, or the buffer).</summary>
        public string? ReleasedName { get; }
    }
}
