using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Windows
{
    internal static class UnsafeMethods
    {
        [DllImport("ws2_32.dll", SetLastError = true)]
        internal static extern SocketError WSARecv(
            IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred,
            ref int flags, IntPtr overlapped, IntPtr completionRoutine);

        [DllImport("ws2_32.dll", SetLastError = true)]
        internal static extern SocketError WSASend(
            IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred,
            int flags, IntPtr overlapped, IntPtr completionRoutine);

        [DllImport("mswsock.dll", SetLastError = true)]
        internal static extern bool AcceptEx(
            IntPtr listenSocket, IntPtr acceptSocket, IntPtr buffer, int receiveDataLength,
            int localAddressLength, int remoteAddressLength, out int bytesReceived, IntPtr overlapped);
    }
}
