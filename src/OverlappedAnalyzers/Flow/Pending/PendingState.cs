using System;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>
    /// The states one started receiver may be in at a program point (a may-set: several bits mean several paths).
    /// </summary>
    [Flags]
    internal enum PendingState : byte
    {
        None = 0,

        /// <summary>Not started on this path (or started by someone else).</summary>
        NotStarted = 1,

        /// <summary>Started; the outcome of the I/O call is not known to be a synchronous failure.</summary>
        Pending = 2,

        /// <summary>Started, and a synchronous failure was established since: nothing will ever complete it.</summary>
        Failed = 4,

        /// <summary>Failed, and the path finished another overlapped of the same type instead (OVL002).</summary>
        WrongFinished = 8,

        /// <summary>Finished, or no longer ours (handed on, overwritten).</summary>
        Finished = 16,

        /// <summary>Not started, yet its OVERLAPPED was handed to a native call: a start now comes too late (OVL006).</summary>
        HandedToNative = 32,

        /// <summary>
        /// Started, and a check on this path showed its I/O call pending or succeeded: the completion arrives through the
        /// port. A later failure check on the same path is about another call and must not fail this one.
        /// </summary>
        InFlight = 64,

        Started = Pending | Failed | WrongFinished | InFlight,
    }
}
