using System;
using System.ComponentModel;
using System.Net.Sockets;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>Turns Winsock and Win32 failures into exceptions, in one place.</summary>
    internal static class SocketErrors
    {
        public static SocketException Last() => new SocketException((int)WinSock.WSAGetLastError());

        public static void ThrowIfFailed(int result)
        {
            if (result == WinSock.SOCKET_ERROR)
            {
                throw Last();
            }
        }

        public static Win32Exception LastWin32() => new Win32Exception(System.Runtime.InteropServices.Marshal.GetLastWin32Error());

        /// <summary>Errors that mean the peer went away: reported as an orderly close, not as a failure.</summary>
        public static bool IsDisconnect(int error) =>
            error == WinSock.WSAECONNRESET
            || error == Kernel32.ERROR_NETNAME_DELETED
            || error == WinSock.WSAESHUTDOWN
            || error == WinSock.WSAENOTCONN;

        public static bool IsAborted(int error) => error == Kernel32.ERROR_OPERATION_ABORTED;
    }
}
