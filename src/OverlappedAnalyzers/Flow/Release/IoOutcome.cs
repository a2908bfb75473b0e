namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>What a branch on an I/O call's own result says about that call.</summary>
    internal enum IoOutcome
    {
        /// <summary>The branch does not test this call's result.</summary>
        None,

        /// <summary>The call returned its failure indication: failed, or (the normal case for overlapped I/O) pending.</summary>
        FailedOrPending,

        /// <summary>The call returned success.</summary>
        Succeeded,
    }
}
