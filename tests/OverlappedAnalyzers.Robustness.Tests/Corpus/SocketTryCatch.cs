using System;
using System.Net.Sockets;
using Io;

namespace Corpus.Sockets
{
    public sealed class GuardedSocket
    {
        private readonly Overlapped m_overlapped = new Overlapped();
        private IntPtr m_handle;

        public void ReceiveFinally()
        {
            var error = SocketError.Success;
            m_overlapped.StartOperation(OperationType.Receive);
            try
            {
                error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
                if (error != SocketError.Success && error != SocketError.IOPending)
                {
                    throw new SocketException((int)error);
                }
            }
            finally
            {
                if (error != SocketError.Success && error != SocketError.IOPending)
                {
                    m_overlapped.Complete();
                }
            }
        }

        public void ReceiveCatch()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            try
            {
                var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
                if (error != SocketError.IOPending && error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }
            }
            catch (SocketException)
            {
                m_overlapped.Complete();
                throw;
            }
        }

        public void ReceiveCatchLeaks()
        {
            try
            {
                m_overlapped.StartOperation(OperationType.Receive);
                var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
                if (error != SocketError.IOPending)
                {
                    throw new SocketException((int)error);
                }
            }
            catch (InvalidOperationException)
            {
                return;
            }
            finally
            {
                Console.WriteLine("done");
            }
        }

        public void Nested()
        {
            try
            {
                try
                {
                    m_overlapped.StartOperation(OperationType.Send);
                    var error = Native.WSASend(m_handle, IntPtr.Zero, m_overlapped.Address);
                    if (error is not SocketError.IOPending)
                    {
                        throw new SocketException((int)error);
                    }
                }
                catch (SocketException e) when (e.ErrorCode != 0)
                {
                    throw;
                }
            }
            finally
            {
                m_overlapped.Complete();
            }
        }
    }
}
