using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Duplex
{
    internal sealed class DuplexOverlapped
    {
        public DuplexOverlapped(IntPtr address)
        {
            Address = address;
        }

        public IntPtr Address { get; }

        public bool InProgress { get; private set; }

        public void StartOperation()
        {
            InProgress = true;
        }

        public void Complete()
        {
            InProgress = false;
        }
    }

    internal sealed class DuplexSocket
    {
        private readonly IntPtr m_handle;
        private readonly DuplexOverlapped m_inOverlapped;
        private readonly DuplexOverlapped m_outOverlapped;

        public DuplexSocket(IntPtr handle, IntPtr inAddress, IntPtr outAddress)
        {
            m_handle = handle;
            m_inOverlapped = new DuplexOverlapped(inAddress);
            m_outOverlapped = new DuplexOverlapped(outAddress);
        }

        public bool Sending => m_outOverlapped.InProgress;

        public void Receive(IntPtr buffers)
        {
            m_inOverlapped.StartOperation();

            int flags = 0;
            SocketError socketError = AsyncIoLike.Windows.UnsafeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
            if (socketError != SocketError.Success)
            {
                socketError = (SocketError)Marshal.GetLastWin32Error();
                if (socketError != SocketError.IOPending)
                {
                    m_inOverlapped.Complete();
                    throw new SocketException((int)socketError);
                }
            }
        }
    }
}
