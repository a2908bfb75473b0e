using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;

namespace Corpus.Sockets
{
    public sealed class BlogFixSocket
    {
        private readonly Overlapped m_inOverlapped = new Overlapped();
        private readonly Overlapped m_outOverlapped = new Overlapped();
        private IntPtr m_handle;

        // The blog's fix: completes the wrong overlapped (OVL002).
        public void Receive()
        {
            m_inOverlapped.StartOperation(OperationType.Receive);
            var socketError = Native.WSARecv(m_handle, IntPtr.Zero, m_inOverlapped.Address);
            if (socketError != SocketError.Success)
            {
                socketError = (SocketError)Marshal.GetLastWin32Error();
                if (socketError != SocketError.IOPending)
                {
                    m_outOverlapped.Complete();
                    throw new SocketException((int)socketError);
                }
            }
        }
    }

    public sealed class Listener
    {
        private readonly Owner m_socket = new Owner();
        private IntPtr m_handle;

        public sealed class Owner
        {
            internal readonly Overlapped m_inOverlapped = new Overlapped();
        }

        // A listener that starts its owner's overlapped through a field chain and an alias.
        public void AcceptInternal(IntPtr accepted)
        {
            var ov = m_socket.m_inOverlapped;
            ov.StartOperation(OperationType.Accept);
            if (!Native.AcceptEx(m_handle, accepted, ov.Address))
            {
                var error = Native.GetLastSocketError();
                if (error != SocketError.IOPending)
                {
                    throw new SocketException((int)error);
                }
            }
        }
    }
}
