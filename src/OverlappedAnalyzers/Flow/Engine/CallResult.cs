namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>How the I/O call's own result reports success (never whether the error is pending).</summary>
    internal enum CallResult
    {
        /// <summary>Not the result of an I/O call, or one this analysis cannot read.</summary>
        None,

        /// <summary>BOOL (kept in a bool, int or uint): nonzero is success, 0 (FALSE) is "failed or pending".</summary>
        TrueOnSuccess,

        /// <summary>Winsock: 0 is success, SOCKET_ERROR (-1) is "failed or pending".</summary>
        ZeroOnSuccess,
    }
}
