using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading.Tasks;
using Io;

namespace Corpus.Modern
{
    public sealed class CallbackSocket
    {
        private readonly Overlapped m_overlapped = new Overlapped();
        private IntPtr m_handle;

        public Action ReceiveLater() => () =>
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error != SocketError.IOPending)
            {
                throw new SocketException((int)error);
            }
        };

        public void WithLocalFunction()
        {
            Receive();

            void Receive()
            {
                m_overlapped.StartOperation(OperationType.Receive);
                var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
                if (error is not SocketError.IOPending)
                {
                    throw new SocketException((int)error);
                }
            }
        }

        public async Task ReceiveAsync()
        {
            await Task.Yield();
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error != SocketError.IOPending)
            {
                throw new SocketException((int)error);
            }
        }

        public IEnumerable<int> ReceiveIterator()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error != SocketError.IOPending)
            {
                yield break;
            }

            yield return 1;
        }

        public Func<SocketError, int> Classify => error => error switch
        {
            SocketError.IOPending => 0,
            SocketError.Success => 1,
            _ => -1,
        };
    }
}
