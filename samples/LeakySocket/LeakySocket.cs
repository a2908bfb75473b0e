using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OverlappedAnalyzers.ReferenceSocket;

namespace LeakySocket
{
    /// <summary>
    /// A socket modelled on the incident's AsyncIO socket, WITH its bugs. Each buggy line is marked
    /// with the rule that reports it. Do not copy this code: see IocpSocket in the reference library.
    /// </summary>
    public sealed class LeakySocket : IDisposable
    {
        private const int AcceptAddressLength = 28 + 16;

        private readonly INativeSocketApi m_native;
        private readonly LeakyOverlapped m_inOverlapped;
        private readonly LeakyOverlapped m_outOverlapped;
        private readonly byte[] m_acceptBuffer = new byte[2 * AcceptAddressLength];
        private IntPtr m_handle;
        private PinnedBuffer? m_receivePinnedBuffer;
        private PinnedBuffer? m_sendPinnedBuffer;
        private PinnedBuffer? m_acceptPinnedBuffer;
        private bool m_bound;
        private bool m_disposed;

        public LeakySocket(INativeSocketApi native, IntPtr completionPort)
        {
            m_native = native;
            m_handle = native.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (m_handle == new IntPtr(-1))
            {
                throw new SocketException((int)native.GetLastError());
            }

            LeakyResources.SocketOpened();
            native.AssociateWithCompletionPort(m_handle, completionPort, IntPtr.Zero);
            m_inOverlapped = new LeakyOverlapped(native, this);
            m_outOverlapped = new LeakyOverlapped(native, this);
        }

        public IntPtr Handle => m_handle;

        public void Bind(IPEndPoint localEndPoint)
        {
            byte[] address = SocketAddressCodec.Encode(localEndPoint);
            GCHandle pin = GCHandle.Alloc(address, GCHandleType.Pinned);
            try
            {
                if (m_native.Bind(m_handle, pin.AddrOfPinnedObject(), address.Length) != SocketError.Success)
                {
                    throw new SocketException((int)m_native.GetLastError());
                }

                m_bound = true;
            }
            finally
            {
                pin.Free();
            }
        }

        public void Listen(int backlog)
        {
            if (m_native.Listen(m_handle, backlog) != SocketError.Success)
            {
                throw new SocketException((int)m_native.GetLastError());
            }
        }

        public void Accept(LeakySocket acceptSocket)
        {
            if (m_acceptPinnedBuffer == null)
            {
                m_acceptPinnedBuffer = new PinnedBuffer(m_acceptBuffer);
            }

            m_inOverlapped.State = acceptSocket;
            m_inOverlapped.StartOperation(OperationKind.Accept);

            if (!m_native.AcceptEx(m_handle, acceptSocket.Handle, m_acceptPinnedBuffer.Address, 0, AcceptAddressLength, AcceptAddressLength, out _, m_inOverlapped.Address))
            {
                SocketError socketError = m_native.GetLastError();
                if (socketError != SocketError.IOPending)
                {
                    // BUG (OVL001): m_inOverlapped stays InProgress; no completion will come.
                    throw new SocketException((int)socketError);
                }
            }
        }

        public void Connect(IPEndPoint remoteEndPoint)
        {
            if (!m_bound)
            {
                Bind(new IPEndPoint(IPAddress.Any, 0));
            }

            byte[] address = SocketAddressCodec.Encode(remoteEndPoint);
            if (m_sendPinnedBuffer == null)
            {
                m_sendPinnedBuffer = new PinnedBuffer(address);
            }
            else if (m_sendPinnedBuffer.Buffer != address)
            {
                m_sendPinnedBuffer.Switch(address);
            }

            m_outOverlapped.StartOperation(OperationKind.Connect);

            if (!m_native.ConnectEx(m_handle, m_sendPinnedBuffer.Address, address.Length, IntPtr.Zero, 0, out _, m_outOverlapped.Address))
            {
                SocketError socketError = m_native.GetLastError();
                if (socketError != SocketError.IOPending)
                {
                    // BUG (OVL001): m_outOverlapped stays InProgress; no completion will come.
                    throw new SocketException((int)socketError);
                }
            }
        }

        public void Send(byte[] buffer, int offset, int count)
        {
            if (m_sendPinnedBuffer == null)
            {
                m_sendPinnedBuffer = new PinnedBuffer(buffer);
            }
            else if (m_sendPinnedBuffer.Buffer != buffer)
            {
                m_sendPinnedBuffer.Switch(buffer);
            }

            m_outOverlapped.SetWsaBuffer(m_sendPinnedBuffer.Address + offset, count);
            m_outOverlapped.StartOperation(OperationKind.Send);

            SocketError socketError = m_native.Send(m_handle, m_outOverlapped.WsaBuffer, 1, out _, SocketFlags.None, m_outOverlapped.Address);
            if (socketError != SocketError.Success)
            {
                socketError = m_native.GetLastError();
                if (socketError != SocketError.IOPending)
                {
                    // BUG (OVL001): m_outOverlapped stays InProgress; no completion will come.
                    throw new SocketException((int)socketError);
                }
            }
        }

        public void Receive(byte[] buffer, int offset, int count)
        {
            if (m_receivePinnedBuffer == null)
            {
                m_receivePinnedBuffer = new PinnedBuffer(buffer);
            }
            else if (m_receivePinnedBuffer.Buffer != buffer)
            {
                m_receivePinnedBuffer.Switch(buffer);
            }

            m_inOverlapped.SetWsaBuffer(m_receivePinnedBuffer.Address + offset, count);
            m_inOverlapped.StartOperation(OperationKind.Receive);

            SocketFlags flags = SocketFlags.None;
            SocketError socketError = m_native.Receive(m_handle, m_inOverlapped.WsaBuffer, 1, out _, ref flags, m_inOverlapped.Address);
            if (socketError != SocketError.Success)
            {
                socketError = m_native.GetLastError();
                if (socketError != SocketError.IOPending)
                {
                    // BUG (OVL002): the blog's fix completes the wrong overlapped; m_inOverlapped was started and leaks.
                    m_outOverlapped.Complete();
                    throw new SocketException((int)socketError);
                }
            }
        }

        public void Dispose()
        {
            if (m_disposed)
            {
                return;
            }

            m_disposed = true;
            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();
            m_native.CancelIoEx(m_handle, IntPtr.Zero);
            m_native.CloseSocket(m_handle);
            LeakyResources.SocketClosed();
            m_receivePinnedBuffer?.Dispose();
            m_sendPinnedBuffer?.Dispose();
            m_acceptPinnedBuffer?.Dispose();
        }
    }
}
