using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>One outstanding AcceptEx: the socket that will become the connection and the buffer the addresses land in.</summary>
    internal sealed class AcceptRequest
    {
        public AcceptRequest(AsyncListener listener, AsyncSocket accepted, IntPtr addressBuffer)
        {
            Listener = listener;
            Accepted = accepted;
            AddressBuffer = addressBuffer;
        }

        public AsyncListener Listener { get; }
        public AsyncSocket Accepted { get; }
        public IntPtr AddressBuffer { get; }
    }

    /// <summary>A listening socket that accepts one connection at a time with AcceptEx.</summary>
    public sealed class AsyncListener : IDisposable
    {
        private const int AddressSpace = NativeSocketAddress.MaxSize + 16;

        private readonly AsyncSocket m_socket;
        private readonly Overlapped m_acceptOverlapped;
        private readonly IntPtr m_addressBuffer;
        private readonly CompletionPort m_port;
        private bool m_disposed;

        public AsyncListener(CompletionPort port, AddressFamily family)
        {
            m_port = port ?? throw new ArgumentNullException(nameof(port));
            m_socket = AsyncSocket.Create(family);
            m_acceptOverlapped = new Overlapped(m_socket);
            m_addressBuffer = Marshal.AllocHGlobal(AddressSpace * 2);
            port.Associate(m_socket);
        }

        public event Action<AsyncSocket, IPEndPoint> Accepted;

        public event Action<SocketException> AcceptFailed;

        public IPEndPoint LocalEndPoint => m_socket.LocalEndPoint;

        public void Start(IPEndPoint endPoint, int backlog)
        {
            m_socket.Bind(endPoint);
            SocketErrors.ThrowIfFailed(WinSock.listen(m_socket.Handle, backlog));
            AcceptNext();
        }

        /// <summary>Posts the next AcceptEx. The accepted socket is created here and handed over on completion.</summary>
        public void AcceptNext()
        {
            ObjectDisposedException.ThrowIf(m_disposed, this);
            var accepted = AsyncSocket.Create(m_socket.AddressFamily);
            var request = new AcceptRequest(this, accepted, m_addressBuffer);
            m_acceptOverlapped.StartOperation(OperationType.Accept);
            m_acceptOverlapped.State = request;
            if (!m_socket.Extensions.AcceptEx(m_socket.Handle, accepted.Handle, m_addressBuffer, 0, AddressSpace, AddressSpace, out _, m_acceptOverlapped.Address))
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    m_acceptOverlapped.Complete();
                    accepted.Dispose();
                    throw new SocketException((int)error);
                }
            }
        }

        internal void OnAcceptCompleted(AcceptRequest request, CompletionStatus status)
        {
            if (!status.Succeeded)
            {
                request.Accepted.Dispose();
                if (!m_disposed && !SocketErrors.IsAborted(status.Error))
                {
                    AcceptFailed?.Invoke(new SocketException(status.Error));
                    AcceptNext();
                }

                return;
            }

            SocketOptions.UpdateAcceptContext(request.Accepted.Handle, m_socket.Handle);
            m_socket.Extensions.GetAcceptExSockaddrs(request.AddressBuffer, 0, AddressSpace, AddressSpace, out _, out _, out IntPtr remote, out int remoteLength);
            var remoteEndPoint = SocketAddressEncoder.Decode(remote, remoteLength);
            m_port.Associate(request.Accepted);
            Accepted?.Invoke(request.Accepted, remoteEndPoint);
            if (!m_disposed)
            {
                AcceptNext();
            }
        }

        public void Dispose()
        {
            if (m_disposed)
            {
                return;
            }

            m_disposed = true;

            // Closing the socket aborts the outstanding AcceptEx; its completion arrives with ERROR_OPERATION_ABORTED.
            // The accept overlapped is never disposed here, so the completion cannot free it either.
            m_socket.Dispose();
            Marshal.FreeHGlobal(m_addressBuffer);
        }
    }
}
