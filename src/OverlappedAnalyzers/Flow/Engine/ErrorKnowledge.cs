namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>What a branch outcome tells about the native error code.</summary>
    internal enum ErrorKnowledge
    {
        /// <summary>Nothing is known, or the error may still be ERROR_IO_PENDING or success.</summary>
        Unknown,

        /// <summary>The error is ERROR_IO_PENDING: a completion packet will arrive through the port.</summary>
        Pending,

        /// <summary>The error is success: a completion packet will arrive through the port (or is posted).</summary>
        Success,

        /// <summary>The error is known not to be ERROR_IO_PENDING: the request never reached the driver.</summary>
        NotPending,
    }
}
