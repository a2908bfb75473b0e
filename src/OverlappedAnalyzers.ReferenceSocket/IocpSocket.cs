using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// A TCP socket whose Accept/Connect/Send/Receive are overlapped and complete through a
    /// <see cref="CompletionPort"/>. Receive-side operations (Accept, Receive) use one overlapped,
    /// send-side operations (Connect, Send) the other, so one of each may be in flight.
    /// </summary>
    /// <remarks>
    /// Every operation has the same shape: start the overlapped, make the native call, and on a
    /// synchronous failure (any error but IO pending) complete THAT overlapped before throwing,
    /// because the kernel never saw the request and will post nothing for it.
    /// </remarks>
    public sealed class IocpSocket : IDisposable
    {
        /// <summary>Each address slot AcceptEx writes: the largest sockaddr plus the 16 bytes it requires.</summary>
        private const int AcceptAddressLength = SocketAddressCodec.IPv6Length + 16;

        private readonly INativeSocketApi m_native;
        private readonly AddressFamily m_addressFamily;
        private readonly SocketOverlapped m_receiveOverlapped;
        private readonly SocketOverlapped m_sendOverlapped;
        private IntPtr m_handle;
        private byte[]? m_acceptAddresses;
        private bool m_bound;
        private int m_disposed;

        public IocpSocket(CompletionPort port, AddressFamily addressFamily = AddressFamily.InterNetwork)
        {
            if (port == null)
            {
                throw new ArgumentNullException(nameof(port));
            }

            m_native = port.Native;
            m_addressFamily = addressFamily;
            m_handle = m_native.CreateSocket(addressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (m_handle == new IntPtr(-1))
            {
                throw new SocketException((int)m_native.GetLastError());
            }

            LiveResources.SocketOpened();
            if (!m_native.AssociateWithCompletionPort(m_handle, port.Handle, IntPtr.Zero))
            {
                SocketError error = m_native.GetLastError();
                m_native.CloseSocket(m_handle);
                LiveResources.SocketClosed();
                throw new SocketException((int)error);
            }

            m_receiveOverlapped = new SocketOverlapped(m_native, this);
            m_sendOverlapped = new SocketOverlapped(m_native, this);
        }

        public IntPtr Handle => m_handle;

        public bool IsDisposed => Volatile.Read(ref m_disposed) != 0;

        /// <summary>The overlapped used by Accept and Receive (exposed for tests and diagnostics).</summary>
        public SocketOverlapped ReceiveOverlapped => m_receiveOverlapped;

        /// <summary>The overlapped used by Connect and Send (exposed for tests and diagnostics).</summary>
        public SocketOverlapped SendOverlapped => m_sendOverlapped;

        public void Bind(IPEndPoint localEndPoint)
        {
            ThrowIfDisposed();
            byte[] address = SocketAddressCodec.Encode(localEndPoint);
            GCHandle pin = GCHandle.Alloc(address, GCHandleType.Pinned);
            try
            {
                LiveResources.GCHandleAllocated();
                if (m_native.Bind(m_handle, pin.AddrOfPinnedObject(), address.Length) != SocketError.Success)
                {
                    throw new SocketException((int)m_native.GetLastError());
                }

                m_bound = true;
            }
            finally
            {
                pin.Free();
                LiveResources.GCHandleFreed();
            }
        }

        public void Listen(int backlog)
        {
            ThrowIfDisposed();
            if (m_native.Listen(m_handle, backlog) != SocketError.Success)
            {
                throw new SocketException((int)m_native.GetLastError());
            }
        }

        /// <summary>Starts an AcceptEx into <paramref name="acceptSocket"/>; its completion carries it back.</summary>
        public void Accept(IocpSocket acceptSocket)
        {
            if (acceptSocket == null)
            {
                throw new ArgumentNullException(nameof(acceptSocket));
            }

            ThrowIfDisposed();
            byte[] addresses = m_acceptAddresses ??= new byte[2 * AcceptAddressLength];

            // The kernel writes both addresses at completion: the pin lives as long as the operation.
            IntPtr addressBuffer = m_receiveOverlapped.SetBuffer(addresses, 0, addresses.Length);
            m_receiveOverlapped.StartOperation(OperationKind.Accept, acceptSocket);
            if (!m_native.AcceptEx(m_handle, acceptSocket.Handle, addressBuffer, 0, AcceptAddressLength, AcceptAddressLength, out _, m_receiveOverlapped.Address))
            {
                SocketError error = m_native.GetLastError();
                if (error != SocketError.IOPending)
                {
                    // WSAECONNRESET here is the health-check prober of the incident: the
                    // connection was reset in the backlog, AcceptEx never queued, no completion.
                    m_receiveOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }

            // TRUE (accepted at once) still queues a completion packet on an associated socket:
            // the port completes the overlapped, so nothing is posted or completed here.
        }

        /// <summary>Starts a ConnectEx (binding to the wildcard address first, as ConnectEx requires).</summary>
        public void Connect(IPEndPoint remoteEndPoint)
        {
            if (remoteEndPoint == null)
            {
                throw new ArgumentNullException(nameof(remoteEndPoint));
            }

            ThrowIfDisposed();
            if (!m_bound)
            {
                Bind(new IPEndPoint(m_addressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            }

            byte[] address = SocketAddressCodec.Encode(remoteEndPoint);
            IntPtr addressPointer = m_sendOverlapped.SetBuffer(address, 0, address.Length);
            m_sendOverlapped.StartOperation(OperationKind.Connect);
            if (!m_native.ConnectEx(m_handle, addressPointer, address.Length, IntPtr.Zero, 0, out _, m_sendOverlapped.Address))
            {
                SocketError error = m_native.GetLastError();
                if (error != SocketError.IOPending)
                {
                    m_sendOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }
        }

        public void Send(byte[] buffer, int offset, int count, SocketFlags flags = SocketFlags.None)
        {
            ThrowIfDisposed();
            m_sendOverlapped.SetBuffer(buffer, offset, count);
            m_sendOverlapped.StartOperation(OperationKind.Send);
            SocketError error = m_native.Send(m_handle, m_sendOverlapped.WsaBuffer, 1, out _, flags, m_sendOverlapped.Address);
            if (error != SocketError.Success)
            {
                error = m_native.GetLastError();
                if (error != SocketError.IOPending)
                {
                    m_sendOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }
        }

        public void Receive(byte[] buffer, int offset, int count, SocketFlags flags = SocketFlags.None)
        {
            ThrowIfDisposed();
            m_receiveOverlapped.SetBuffer(buffer, offset, count);
            m_receiveOverlapped.StartOperation(OperationKind.Receive);
            SocketError error = m_native.Receive(m_handle, m_receiveOverlapped.WsaBuffer, 1, out _, ref flags, m_receiveOverlapped.Address);
            if (error != SocketError.Success)
            {
                error = m_native.GetLastError();
                if (error != SocketError.IOPending)
                {
                    // The seed's fix completed the send-side overlapped here; it must be this one.
                    m_receiveOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>
        /// Cancels pending I/O, closes the handle and disposes both overlappeds. An overlapped with
        /// an operation in flight is freed by that operation's completion (995 when cancelled),
        /// which the owner of the <see cref="CompletionPort"/> must still dequeue.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref m_disposed, 1) != 0)
            {
                return;
            }

            // After CancelIoEx and closesocket every operation still in the kernel has exactly one
            // completion queued or coming; none can be lost, so deferring the frees is safe.
            m_native.CancelIoEx(m_handle, IntPtr.Zero);
            m_native.CloseSocket(m_handle);
            m_handle = new IntPtr(-1);
            LiveResources.SocketClosed();

            m_receiveOverlapped.Dispose();
            m_sendOverlapped.Dispose();
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref m_disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(IocpSocket));
            }
        }
    }
}
