using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Windows
{
    internal sealed class Listener : IDisposable
    {
        private const int AddressLength = 16 + 16;

        private readonly IntPtr m_handle;
        private readonly Overlapped m_acceptOverlapped = new Overlapped();

        public Listener(IntPtr handle)
        {
            m_handle = handle;
        }

        public void Accept(IntPtr acceptSocket, IntPtr buffer)
        {
            // hand AcceptEx the OVERLAPPED (a fork started it only afterwards)
            if (!UnsafeMethods.AcceptEx(m_handle, acceptSocket, buffer, 0, AddressLength, AddressLength, out _, m_acceptOverlapped.Address))
            {
                var socketError = (SocketError)Marshal.GetLastWin32Error();
                if (socketError != SocketError.IOPending)
                {
                    throw new SocketException((int)socketError);
                }
            }

            m_acceptOverlapped.StartOperation(OperationType.Accept);
        }

        public void Dispose()
        {
            m_acceptOverlapped.Dispose();
        }
    }
}
