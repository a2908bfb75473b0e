using System;
using System.Net;
using System.Net.Sockets;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Xunit;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    public sealed class IocpSocketTests : IDisposable
    {
        private const int Port = 9000;
        private readonly SimulatedKernel m_kernel = new SimulatedKernel();
        private readonly CompletionPort m_port;
        private readonly LiveCounts m_baseline;

        public IocpSocketTests()
        {
            m_baseline = Live();
            m_port = new CompletionPort(m_kernel);
        }

        public void Dispose() => m_port.Dispose();

        [Fact]
        public void Accept_receive_and_send_end_to_end_then_dispose_returns_to_baseline()
        {
            using (IocpSocket listener = Listener())
            {
                var server = new IocpSocket(m_port);
                listener.Accept(server);
                RemotePeer peer = m_kernel.RemoteConnect(Port);
                CompletionStatus accepted = Dequeue();
                Assert.Equal(OperationKind.Accept, accepted.Kind);
                Assert.Same(server, accepted.AcceptSocket);
                Assert.True(accepted.Succeeded);

                byte[] buffer = new byte[16];
                server.Receive(buffer, 2, 10);
                peer.Send(new byte[] { 7, 8, 9 });
                CompletionStatus received = Dequeue();
                Assert.Equal(OperationKind.Receive, received.Kind);
                Assert.Same(server, received.Socket);
                Assert.Equal(3, received.BytesTransferred);
                Assert.Equal(new byte[] { 7, 8, 9 }, buffer[2..5]);

                server.Send(new byte[] { 1, 2, 3, 4 }, 1, 2);
                Assert.Equal(OperationKind.Send, Dequeue().Kind);
                Assert.Equal(2, peer.ReceivedBytes);

                server.Dispose();
                Assert.True(peer.IsClosedByLocal);
            }

            m_port.Drain();
            AssertBaseline();
        }

        [Fact]
        public void Receive_failing_synchronously_completes_the_receive_overlapped_before_throwing()
        {
            using IocpSocket listener = Listener();
            (IocpSocket server, RemotePeer peer) = Accepted(listener);
            peer.Reset();

            var error = Assert.Throws<SocketException>(() => server.Receive(new byte[8], 0, 8));

            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
            Assert.Equal(OverlappedState.Completed, server.ReceiveOverlapped.State);
            Assert.Equal(OverlappedState.Idle, server.SendOverlapped.State);
            server.Dispose();
            Assert.Equal(OverlappedState.Freed, server.ReceiveOverlapped.State);
            listener.Dispose();
            m_port.Drain();
            AssertBaseline();
        }

        [Fact]
        public void Send_accept_and_connect_failing_synchronously_complete_their_overlapped()
        {
            using IocpSocket listener = Listener();
            (IocpSocket server, RemotePeer peer) = Accepted(listener);
            peer.Reset();
            Assert.Throws<SocketException>(() => server.Send(new byte[8], 0, 8));
            Assert.Equal(OverlappedState.Completed, server.SendOverlapped.State);
            server.Dispose();

            m_kernel.RemoteConnect(Port).Reset();
            var acceptSocket = new IocpSocket(m_port);
            Assert.Throws<SocketException>(() => listener.Accept(acceptSocket));
            Assert.Equal(OverlappedState.Completed, listener.ReceiveOverlapped.State);
            acceptSocket.Dispose();

            m_kernel.AddRemoteListener(9100, RemoteListenerBehavior.RefuseSynchronously);
            var client = new IocpSocket(m_port);
            var refused = Assert.Throws<SocketException>(() => client.Connect(new IPEndPoint(IPAddress.Loopback, 9100)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            Assert.Equal(OverlappedState.Completed, client.SendOverlapped.State);
            client.Dispose();

            listener.Dispose();
            m_port.Drain();
            AssertBaseline();
            Assert.Equal(0, m_kernel.ViolationCount);
        }

        [Fact]
        public void Dispose_with_a_receive_pending_defers_the_free_until_the_aborted_completion()
        {
            using IocpSocket listener = Listener();
            (IocpSocket server, _) = Accepted(listener);
            server.Receive(new byte[8], 0, 8);

            server.Dispose();

            Assert.Equal(OverlappedState.DisposedWhilePending, server.ReceiveOverlapped.State);
            Assert.Equal(OverlappedState.Freed, server.SendOverlapped.State);
            CompletionStatus aborted = Dequeue();
            Assert.Equal(KernelErrors.OperationAborted, aborted.ErrorCode);
            Assert.True(aborted.OwnerDisposed);
            Assert.Equal(OverlappedState.Freed, server.ReceiveOverlapped.State);
            listener.Dispose();
            m_port.Drain();
            AssertBaseline();
            Assert.Equal(0, m_kernel.UseAfterFreeCount);
        }

        [Fact]
        public void Connect_to_a_local_listener_links_both_sockets()
        {
            using IocpSocket listener = Listener();
            var server = new IocpSocket(m_port);
            listener.Accept(server);
            var client = new IocpSocket(m_port);

            client.Connect(new IPEndPoint(IPAddress.Loopback, Port));

            CompletionStatus first = Dequeue();
            CompletionStatus second = Dequeue();
            Assert.Contains(OperationKind.Accept, new[] { first.Kind, second.Kind });
            Assert.Contains(OperationKind.Connect, new[] { first.Kind, second.Kind });

            byte[] buffer = new byte[4];
            server.Receive(buffer, 0, 4);
            client.Send(new byte[] { 5, 6 }, 0, 2);
            CompletionStatus third = Dequeue();
            CompletionStatus fourth = Dequeue();
            CompletionStatus received = third.Kind == OperationKind.Receive ? third : fourth;
            Assert.Equal(OperationKind.Send, (third.Kind == OperationKind.Receive ? fourth : third).Kind);
            Assert.Equal(OperationKind.Receive, received.Kind);
            Assert.Equal(2, received.BytesTransferred);
            Assert.Equal(new byte[] { 5, 6 }, buffer[0..2]);

            client.Dispose();
            server.Dispose();
            listener.Dispose();
            m_port.Drain();
            AssertBaseline();
        }

        [Fact]
        public void Operations_on_a_disposed_socket_throw_without_touching_the_kernel()
        {
            var socket = new IocpSocket(m_port);
            socket.Dispose();
            Assert.Throws<ObjectDisposedException>(() => socket.Receive(new byte[1], 0, 1));
            Assert.Throws<ObjectDisposedException>(() => socket.Send(new byte[1], 0, 1));
            socket.Dispose();
            AssertBaseline();
        }

        private static LiveCounts Live() => new LiveCounts(LiveResources.OverlappedBlocks, LiveResources.GCHandles, LiveResources.Sockets);

        private void AssertBaseline()
        {
            Assert.Equal(m_baseline.ToString(), Live().ToString());
            Assert.Equal(0, m_kernel.PendingOperationCount);
            Assert.Equal(0, m_kernel.LiveOverlappedBlockCount);
            Assert.Equal(0, m_kernel.OpenSocketCount);
        }

        private IocpSocket Listener()
        {
            var listener = new IocpSocket(m_port);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            listener.Listen(16);
            return listener;
        }

        private (IocpSocket Server, RemotePeer Peer) Accepted(IocpSocket listener)
        {
            var server = new IocpSocket(m_port);
            listener.Accept(server);
            RemotePeer peer = m_kernel.RemoteConnect(Port);
            Assert.True(Dequeue().Succeeded);
            return (server, peer);
        }

        private CompletionStatus Dequeue()
        {
            Assert.True(m_port.TryDequeue(0, out CompletionStatus status), "a completion was expected");
            return status;
        }
    }
}
