namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>How an I/O call signals "failed or pending" through its own result.</summary>
    internal enum IoResultConvention
    {
        /// <summary>BOOL (as bool or an integer): FALSE/0 means failed or pending (ReadFile, AcceptEx, ConnectEx, ...).</summary>
        Bool,

        /// <summary>Winsock int: 0 on success, SOCKET_ERROR (-1) when failed or pending (WSARecv, WSASend, WSAIoctl).</summary>
        SocketErrorInt,
    }
}
