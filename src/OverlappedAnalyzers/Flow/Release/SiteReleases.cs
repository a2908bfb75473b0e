using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Whether a call releases what an I/O call was handed: finishes or frees its OVERLAPPED (<c>Complete()</c>, a configured
    /// finish, <c>FreeNativeOverlapped</c>, <c>Overlapped.Free</c>, a native free, <c>Dispose()</c>) — on the argument or on
    /// the object it was reached through — or frees a buffer lent to the same call.
    /// </summary>
    internal sealed class SiteReleases
    {
        private readonly ReleaseCalls releases;
        private readonly OperationPairs pairs;
        private readonly ReceiverResolver resolver;

        public SiteReleases(ReleaseCalls releases, OperationPairs pairs, ReceiverResolver resolver)
        {
            this.releases = releases;
            this.pairs = pairs;
            this.resolver = resolver;
        }

        public PrematureKind? Classify(IInvocationOperation call, IoSite site, out ReceiverKey? released)
        {
            released = null;
            if (releases.IsRelease(call, out var operand) && resolver.Resolve(operand) is { } freed)
            {
                released = freed;
                if (Contains(site.OverlappedKeys, freed))
                {
                    return PrematureKind.OverlappedReleased;
                }

                if (Contains(site.BufferKeys, freed))
                {
                    return PrematureKind.BufferReleased;
                }

                return null;
            }

            var method = call.TargetMethod;
            if (method.IsStatic || method.Parameters.Length != 0 || call.Instance is null)
            {
                return null;
            }

            var finished = method.Name == "Dispose" ? call.Instance : pairs.GetFinishedOperand(call, PairKind.StartOperationConvention, null);
            if (finished is null)
            {
                foreach (var configured in pairs.Configured)
                {
                    finished ??= pairs.GetFinishedOperand(call, PairKind.Configured, configured);
                }
            }

            released = resolver.Resolve(finished);
            return released != null && Contains(site.OverlappedKeys, released) ? PrematureKind.OverlappedReleased : null;
        }

        private static bool Contains(ImmutableArray<ReceiverKey> keys, ReceiverKey key)
        {
            foreach (var candidate in keys)
            {
                if (candidate.Equals(key))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
