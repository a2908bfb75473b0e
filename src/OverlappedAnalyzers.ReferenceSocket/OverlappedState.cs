namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// The lifecycle of a <see cref="SocketOverlapped"/>:
    /// <c>Idle → InProgress → Completed → InProgress → …</c>, and <c>Dispose</c> from
    /// <c>Idle</c>/<c>Completed</c> → <c>Freed</c>, from <c>InProgress</c> → <c>DisposedWhilePending</c>
    /// → (the one completion, or the synchronous-failure <c>Complete()</c>) → <c>Freed</c>.
    /// </summary>
    public enum OverlappedState
    {
        /// <summary>Allocated, never started.</summary>
        Idle = 0,

        /// <summary>Handed to the kernel (or about to be): exactly one <c>Complete()</c> will follow.</summary>
        InProgress = 1,

        /// <summary>The last operation finished; the block may be reused or freed.</summary>
        Completed = 2,

        /// <summary>Disposed while the kernel may still write into the block: the completion frees it.</summary>
        DisposedWhilePending = 3,

        /// <summary>Block, GCHandle and buffer pin released.</summary>
        Freed = 4,
    }
}
