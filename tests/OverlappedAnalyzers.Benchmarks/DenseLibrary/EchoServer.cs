using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Dense.Sockets
{
    /// <summary>The layers put together: a port thread, a listener, pooled receives, every frame echoed back.</summary>
    public sealed class EchoServer : IDisposable
    {
        private readonly CompletionPort m_port = new CompletionPort();
        private readonly NativeBufferPool m_pool = new NativeBufferPool(8192, 1024);
        private readonly HashSet<AsyncSocket> m_connections = new HashSet<AsyncSocket>();
        private readonly CancellationTokenSource m_stop = new CancellationTokenSource();
        private readonly AsyncListener m_listener;
        private readonly Thread m_thread;

        public EchoServer(IPEndPoint endPoint)
        {
            m_listener = new AsyncListener(m_port, endPoint.AddressFamily);
            m_listener.Accepted += OnAccepted;
            m_listener.Start(endPoint, backlog: 128);
            m_thread = new Thread(() => m_port.Run(OnSignal, m_stop.Token)) { IsBackground = true, Name = "echo port" };
            m_thread.Start();
        }

        public int Connections
        {
            get
            {
                lock (m_connections)
                {
                    return m_connections.Count;
                }
            }
        }

        private void OnAccepted(AsyncSocket socket, IPEndPoint remote)
        {
            lock (m_connections)
            {
                m_connections.Add(socket);
            }

            socket.UsePool(m_pool);
            socket.NoDelay = true;
            socket.SetKeepAlive(TimeSpan.FromMilliseconds(30000), TimeSpan.FromMilliseconds(5000));
            socket.FrameReceived += (s, frame) => s.SendFrame(frame);
            socket.Received += (s, data) =>
            {
                if (data.Count > 0)
                {
                    s.ReceiveNative();
                }
            };
            socket.Disconnected += OnDisconnected;
            socket.Faulted += (s, error) => OnDisconnected(s);
            socket.ReceiveNative();
        }

        private void OnDisconnected(AsyncSocket socket)
        {
            lock (m_connections)
            {
                m_connections.Remove(socket);
            }

            socket.Dispose();
        }

        private void OnSignal(CompletionStatus status)
        {
            if (status.State is string command && command == "stop")
            {
                m_stop.Cancel();
            }
        }

        public void Dispose()
        {
            m_port.Signal("stop");
            m_thread.Join(5000);
            m_listener.Dispose();
            lock (m_connections)
            {
                foreach (var socket in m_connections)
                {
                    socket.Dispose();
                }

                m_connections.Clear();
            }

            m_pool.Dispose();
            m_port.Dispose();
            m_stop.Dispose();
        }
    }
}
