using System;
using System.Net;
using System.Net.Sockets;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>
    /// Outgoing connections with retries: each attempt binds a fresh socket to the wildcard address (ConnectEx requires a
    /// bound socket) and posts ConnectEx; a failed attempt is retried after the caller's back-off.
    /// </summary>
    public sealed class Connector : IDisposable
    {
        private readonly CompletionPort m_port;
        private readonly IPEndPoint m_remote;
        private readonly int m_maxAttempts;
        private AsyncSocket m_socket;
        private Overlapped m_connectOverlapped;
        private NativeSocketAddress m_address;
        private int m_attempts;

        public Connector(CompletionPort port, IPEndPoint remote, int maxAttempts)
        {
            m_port = port ?? throw new ArgumentNullException(nameof(port));
            m_remote = remote ?? throw new ArgumentNullException(nameof(remote));
            m_maxAttempts = maxAttempts;
        }

        public int Attempts => m_attempts;

        public bool CanRetry => m_attempts < m_maxAttempts;

        /// <summary>Starts one attempt. The socket is handed to the caller when its ConnectEx completes.</summary>
        public void BeginConnect()
        {
            if (!CanRetry)
            {
                throw new InvalidOperationException("no attempts left after " + m_attempts);
            }

            m_attempts++;
            ReleaseAttempt();
            m_socket = AsyncSocket.Create(m_remote.AddressFamily);
            m_socket.Bind(new IPEndPoint(m_remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            m_port.Associate(m_socket);
            m_connectOverlapped = new Overlapped(m_socket);
            m_address = new NativeSocketAddress(m_remote);

            // The attempt is marked in progress only after ConnectEx returned: a completion dequeued on the port thread
            // before this line is overwritten, and the overlapped then stays "in progress" forever.
            if (!m_socket.Extensions.ConnectEx(m_socket.Handle, m_address.Address, m_address.Length, IntPtr.Zero, 0, out _, m_connectOverlapped.Address))
            {
                int error = (int)WinSock.WSAGetLastError();
                if (error != WinSock.WSA_IO_PENDING)
                {
                    throw new SocketException(error);
                }
            }

            m_connectOverlapped.StartOperation(OperationType.Connect);
        }

        /// <summary>Called with the attempt's completion: the connected socket, or null when the attempt failed.</summary>
        public AsyncSocket EndConnect(CompletionStatus status)
        {
            if (!status.Succeeded)
            {
                ReleaseAttempt();
                return null;
            }

            SocketOptions.UpdateConnectContext(m_socket.Handle);
            var connected = m_socket;
            m_socket = null;
            m_connectOverlapped.Dispose();
            m_connectOverlapped = null;
            return connected;
        }

        private void ReleaseAttempt()
        {
            m_connectOverlapped?.Dispose();
            m_connectOverlapped = null;
            m_address?.Dispose();
            m_address = null;
            m_socket?.Dispose();
            m_socket = null;
        }

        public void Dispose()
        {
            ReleaseAttempt();
        }
    }
}
