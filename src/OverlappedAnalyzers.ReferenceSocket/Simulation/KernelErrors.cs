namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>The Win32 and Winsock error codes the simulated kernel reports.</summary>
    public static class KernelErrors
    {
        public const int InvalidHandle = 6;             // ERROR_INVALID_HANDLE
        public const int NetworkNameDeleted = 64;       // ERROR_NETNAME_DELETED: reset during an overlapped accept/receive
        public const int InvalidParameter = 87;         // ERROR_INVALID_PARAMETER
        public const int WaitTimeout = 258;             // WAIT_TIMEOUT
        public const int OperationAborted = 995;        // ERROR_OPERATION_ABORTED: CancelIoEx / closesocket
        public const int IOPending = 997;               // ERROR_IO_PENDING / WSA_IO_PENDING
        public const int NotFound = 1168;               // ERROR_NOT_FOUND: CancelIoEx found nothing
        public const int ConnectionRefused = 1225;      // ERROR_CONNECTION_REFUSED: ConnectEx completion
        public const int WsaFault = 10014;              // WSAEFAULT
        public const int WsaInvalidArgument = 10022;    // WSAEINVAL
        public const int WsaNotSocket = 10038;          // WSAENOTSOCK
        public const int WsaAddressInUse = 10048;       // WSAEADDRINUSE
        public const int WsaConnectionReset = 10054;    // WSAECONNRESET
        public const int WsaIsConnected = 10056;        // WSAEISCONN
        public const int WsaNotConnected = 10057;       // WSAENOTCONN
        public const int WsaConnectionRefused = 10061;  // WSAECONNREFUSED
    }
}
