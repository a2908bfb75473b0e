using System;
using System.Net.Sockets;
using Io;

namespace Corpus.Helpers
{
    public sealed class HelperSocket
    {
        private readonly Overlapped m_overlapped = new Overlapped();
        private Overlapped? m_parked;
        private IntPtr m_handle;

        public void ReceiveFinishedByHelper()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error != SocketError.IOPending && error != SocketError.Success)
            {
                FailOperation(m_overlapped, error);
            }
        }

        public void ReceiveHandedOn(Overlapped ov)
        {
            ov.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, ov.Address);
            if (error != SocketError.IOPending)
            {
                Park(ov);
                return;
            }
        }

        public void ReceivePosted()
        {
            m_overlapped.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_overlapped.Address);
            if (error != SocketError.IOPending)
            {
                Native.PostCompletion(m_overlapped.Address);
                return;
            }
        }

        public Overlapped ReceiveReturned()
        {
            var ov = new Overlapped();
            ov.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(m_handle, IntPtr.Zero, ov.Address);
            if (error != SocketError.IOPending)
            {
                return ov;
            }

            return ov;
        }

        private static void FailOperation(Overlapped overlapped, SocketError error)
        {
            overlapped.Complete();
            throw new SocketException((int)error);
        }

        private void Park(Overlapped overlapped) => m_parked = overlapped;

        public bool HasParked => m_parked != null;
    }
}
