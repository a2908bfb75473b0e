using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace LeakySocket
{
    /// <summary>
    /// A receive straight on Winsock with a ThreadPoolBoundHandle overlapped. Not used by the storm: it is here so
    /// the build shows OVL007, error handling that acts on SOCKET_ERROR before asking whether the error is
    /// WSA_IO_PENDING — which, for an overlapped WSARecv, it nearly always is.
    /// </summary>
    public sealed unsafe class LeakyPendingReceive
    {
        private const int SocketError = -1;

        private readonly ThreadPoolBoundHandle m_handle;
        private readonly IntPtr m_socket;
        private readonly IntPtr m_buffers;

        public LeakyPendingReceive(ThreadPoolBoundHandle handle, IntPtr socket, IntPtr buffers)
        {
            m_handle = handle;
            m_socket = socket;
            m_buffers = buffers;
        }

        public void Receive()
        {
            NativeOverlapped* native = m_handle.AllocateNativeOverlapped(OnReceived, null, null);
            int flags = 0;
            if (WSARecv(m_socket, m_buffers, 1, out _, ref flags, native, IntPtr.Zero) == SocketError)
            {
                // BUG (OVL007): the receive is most likely pending; the kernel will still write the received bytes
                // and the completion into memory this frees, and the exception reports a failure that did not happen.
                m_handle.FreeNativeOverlapped(native);
                throw new SocketException(Marshal.GetLastWin32Error());
            }
        }

        private static void OnReceived(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
        }

        [DllImport("ws2_32.dll", SetLastError = true)]
        private static extern int WSARecv(IntPtr socket, IntPtr buffers, int bufferCount, out int received, ref int flags, NativeOverlapped* overlapped, IntPtr completionRoutine);
    }
}
