using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;

namespace Corpus.Sockets
{
    public sealed class AsyncSocket : IDisposable
    {
        private readonly Overlapped m_inOverlapped = new Overlapped();
        private readonly Overlapped m_outOverlapped = new Overlapped();
        private IntPtr m_handle;
        private IntPtr m_buffers;

        // The seed's bug: the throw leaves m_inOverlapped in progress forever.
        public void Receive()
        {
            m_inOverlapped.StartOperation(OperationType.Receive);
            SocketError socketError = Native.WSARecv(m_handle, m_buffers, m_inOverlapped.Address);
            if (socketError != SocketError.Success)
            {
                socketError = (SocketError)Marshal.GetLastWin32Error();
                if (socketError != SocketError.IOPending)
                {
                    throw new SocketException((int)socketError);
                }
            }
        }

        // Correct: completes before throwing.
        public void Send()
        {
            m_outOverlapped.StartOperation(OperationType.Send);
            var error = Native.WSASend(m_handle, m_buffers, m_outOverlapped.Address);
            if (error != SocketError.Success && error != SocketError.IOPending)
            {
                m_outOverlapped.Complete();
                throw new SocketException((int)error);
            }
        }

        public bool TryAccept(IntPtr acceptSocket)
        {
            m_inOverlapped.StartOperation(OperationType.Accept);
            if (!Native.AcceptEx(m_handle, acceptSocket, m_inOverlapped.Address))
            {
                var error = Native.GetLastError();
                if (error != Native.ERROR_IO_PENDING)
                {
                    return false;
                }
            }

            return true;
        }

        public void Connect(IntPtr address)
        {
            m_outOverlapped.StartOperation(OperationType.Connect);
            if (!Native.ConnectEx(m_handle, address, m_outOverlapped.Address))
            {
                int error = Marshal.GetLastWin32Error();
                if (error == 997)
                {
                    return;
                }
                else
                {
                    m_outOverlapped.Complete();
                    throw new SocketException(error);
                }
            }
        }

        public void Dispose()
        {
            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();
        }
    }
}
