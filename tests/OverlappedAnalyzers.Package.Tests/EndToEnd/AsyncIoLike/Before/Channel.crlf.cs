using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Channels
{
    /// <summary>Written with CRLF line endings: the added Complete() must be too.</summary>
    internal sealed class ChannelOverlapped
    {
        private bool m_pending;

        public ChannelOverlapped(IntPtr address)
        {
            Address = address;
        }

        public IntPtr Address { get; }

        public bool Pending => m_pending;

        public void StartOperation()
        {
            this.m_pending = true;
        }
    }

    internal sealed class Channel
    {
        private readonly IntPtr m_handle;
        private readonly ChannelOverlapped m_overlapped;

        public Channel(IntPtr handle, IntPtr overlapped)
        {
            m_handle = handle;
            m_overlapped = new ChannelOverlapped(overlapped);
        }

        public bool TryReceive(IntPtr buffers)
        {
            m_overlapped.StartOperation();
            int flags = 0;
            SocketError error = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_overlapped.Address, IntPtr.Zero);
            if (error != SocketError.Success && (SocketError)Marshal.GetLastWin32Error() != SocketError.IOPending)
            {
                return false;
            }

            return true;
        }
    }

    internal static class NativeMethods
    {
        [DllImport("ws2_32.dll", SetLastError = true)]
        internal static extern SocketError WSARecv(
            IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred,
            ref int flags, IntPtr overlapped, IntPtr completionRoutine);
    }
}
