using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Windows
{
    internal sealed class Socket : IDisposable
    {
        private readonly IntPtr m_handle;
        private readonly Overlapped m_inOverlapped = new Overlapped();
        private readonly Overlapped m_outOverlapped = new Overlapped();

        public Socket(IntPtr handle)
        {
            m_handle = handle;
        }

        public void Receive(IntPtr buffers)
        {
            m_inOverlapped.StartOperation(OperationType.Receive);

            int flags = 0;
            SocketError socketError = UnsafeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
            if (socketError != SocketError.Success)
            {
                socketError = (SocketError)Marshal.GetLastWin32Error();
                if (socketError != SocketError.IOPending)
                {
                    // the request never reached the driver: no completion will arrive
                    throw new SocketException((int)socketError);
                }
            }
        }

        public void Send(byte[] buffer, IntPtr buffers)
        {
            m_outOverlapped.StartOperation(OperationType.Send, buffer);

            SocketError socketError = UnsafeMethods.WSASend(m_handle, buffers, 1, out _, 0, m_outOverlapped.Address, IntPtr.Zero);
            if (socketError != SocketError.Success && (SocketError)Marshal.GetLastWin32Error() != SocketError.IOPending)
                throw new SocketException((int)socketError);
        }

        public void Dispose()
        {
            m_inOverlapped.Dispose();
        }
    }
}
