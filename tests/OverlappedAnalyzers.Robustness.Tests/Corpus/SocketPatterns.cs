using System;
using System.Net.Sockets;
using Io;

namespace Corpus.Sockets
{
    public sealed class PatternSocket
    {
        private readonly Overlapped m_overlapped = new Overlapped();
        private IntPtr m_handle;

        public void ReceiveWithSwitch()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            switch (error)
            {
                case SocketError.Success:
                case SocketError.IOPending:
                    break;
                case SocketError.ConnectionReset:
                    throw new SocketException((int)error);
                default:
                    m_overlapped.Complete();
                    throw new SocketException((int)error);
            }
        }

        public void ReceiveWithIsNot()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error is not (SocketError.Success or SocketError.IOPending))
            {
                throw new SocketException((int)error);
            }
        }

        public int ReceiveWithSwitchExpression()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            return error switch
            {
                SocketError.Success => 1,
                SocketError.IOPending => 0,
                _ => throw new SocketException((int)error),
            };
        }

        public void ReceiveWithEqualsElse()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.GetLastSocketError();
            if (error == SocketError.IOPending)
            {
                return;
            }
            else
            {
                m_overlapped.Complete();
            }
        }

        public void ReceiveIntCode()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            int code = (int)Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (code != 0 && code != Native.WSA_IO_PENDING)
            {
                Fail(code);
            }
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private static void Fail(int code) => throw new SocketException(code);
    }
}
