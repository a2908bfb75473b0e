using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Xunit;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    /// <summary>The simulated kernel must behave like Windows, or the storm tests prove nothing.</summary>
    public sealed class SimulatedKernelTests
    {
        private const int Port = 7000;
        private readonly SimulatedKernel m_kernel = new SimulatedKernel();
        private readonly IntPtr m_port;

        public SimulatedKernelTests()
        {
            m_port = m_kernel.CreateCompletionPort();
        }

        [Fact]
        public void Receive_after_reset_fails_synchronously_and_queues_nothing()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            peer.Reset();
            using var block = new RawBlock(m_kernel);

            SocketFlags flags = SocketFlags.None;
            SocketError result = m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);

            Assert.Equal(SocketError.SocketError, result);
            Assert.Equal(SocketError.ConnectionReset, m_kernel.GetLastError());
            Assert.Equal(0, m_kernel.PendingOperationCount);
            Assert.False(Dequeue(out _, out _));
        }

        [Fact]
        public void Reset_while_receive_pending_completes_it_with_netname_deleted()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;

            Assert.Equal(SocketError.SocketError, m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address));
            Assert.Equal(SocketError.IOPending, m_kernel.GetLastError());
            Assert.Equal(1, m_kernel.PendingOperationCount);

            peer.Reset();

            Assert.True(Dequeue(out IntPtr overlapped, out int error));
            Assert.Equal(block.Address, overlapped);
            Assert.Equal(KernelErrors.NetworkNameDeleted, error);
            Assert.Equal(KernelErrors.NetworkNameDeleted, block.InternalStatus);
            Assert.Equal(0, m_kernel.PendingOperationCount);
        }

        [Fact]
        public void Data_completes_a_pending_receive_into_the_callers_buffer()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel, dataLength: 4);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);

            peer.Send(new byte[] { 1, 2, 3, 4, 5, 6 });

            Assert.True(Dequeue(out _, out int error, out int bytes));
            Assert.Equal(0, error);
            Assert.Equal(4, bytes);
            byte[] received = new byte[4];
            Marshal.Copy(block.Data, received, 0, 4);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, received);

            // The rest waits; a new receive succeeds at once and still queues a completion.
            Assert.Equal(SocketError.Success, m_kernel.Receive(server, block.WsaBuffer, 1, out int immediate, ref flags, block.Address));
            Assert.Equal(2, immediate);
            Assert.True(Dequeue(out _, out _, out int queuedBytes));
            Assert.Equal(2, queuedBytes);
        }

        [Fact]
        public void Send_succeeding_at_once_still_queues_one_completion()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel, dataLength: 8);

            Assert.Equal(SocketError.Success, m_kernel.Send(server, block.WsaBuffer, 1, out int sent, SocketFlags.None, block.Address));

            Assert.Equal(8, sent);
            Assert.Equal(8, peer.ReceivedBytes);
            Assert.True(Dequeue(out IntPtr overlapped, out int error));
            Assert.Equal(block.Address, overlapped);
            Assert.Equal(0, error);
            Assert.False(Dequeue(out _, out _));
        }

        [Fact]
        public void CancelIoEx_and_closesocket_complete_pending_io_with_operation_aborted()
        {
            (IntPtr first, _) = AcceptedConnection();
            (IntPtr second, _) = AcceptedConnection();
            using var a = new RawBlock(m_kernel);
            using var b = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(first, a.WsaBuffer, 1, out _, ref flags, a.Address);
            m_kernel.Receive(second, b.WsaBuffer, 1, out _, ref flags, b.Address);

            Assert.True(m_kernel.CancelIoEx(first, IntPtr.Zero));
            Assert.True(Dequeue(out IntPtr cancelled, out int cancelError));
            Assert.Equal(a.Address, cancelled);
            Assert.Equal(KernelErrors.OperationAborted, cancelError);

            Assert.False(m_kernel.CancelIoEx(first, IntPtr.Zero));
            Assert.Equal(KernelErrors.NotFound, (int)m_kernel.GetLastError());

            Assert.Equal(SocketError.Success, m_kernel.CloseSocket(second));
            Assert.True(Dequeue(out IntPtr closed, out int closeError));
            Assert.Equal(b.Address, closed);
            Assert.Equal(KernelErrors.OperationAborted, closeError);
            Assert.Equal(0, m_kernel.PendingOperationCount);
        }

        [Fact]
        public void AcceptEx_on_a_connection_reset_in_the_backlog_fails_synchronously()
        {
            IntPtr listener = Listener();
            m_kernel.RemoteConnect(Port).Reset();
            IntPtr acceptSocket = NewSocket();
            using var block = new RawBlock(m_kernel, dataLength: 88);

            bool accepted = m_kernel.AcceptEx(listener, acceptSocket, block.Data, 0, 44, 44, out _, block.Address);

            Assert.False(accepted);
            Assert.Equal(SocketError.ConnectionReset, m_kernel.GetLastError());
            Assert.Equal(0, m_kernel.PendingOperationCount);
            Assert.False(Dequeue(out _, out _));
            Assert.Equal(1, m_kernel.SynchronousFailureCount);
        }

        [Fact]
        public void Reset_during_a_pending_accept_completes_it_with_an_error()
        {
            IntPtr listener = Listener();
            IntPtr acceptSocket = NewSocket();
            using var block = new RawBlock(m_kernel, dataLength: 88);
            Assert.False(m_kernel.AcceptEx(listener, acceptSocket, block.Data, 0, 44, 44, out _, block.Address));
            Assert.Equal(SocketError.IOPending, m_kernel.GetLastError());

            m_kernel.RemoteConnect(Port, resetDuringHandshake: true);

            Assert.True(Dequeue(out IntPtr overlapped, out int error));
            Assert.Equal(block.Address, overlapped);
            Assert.Equal(KernelErrors.NetworkNameDeleted, error);
        }

        [Fact]
        public void ConnectEx_needs_a_bound_socket_and_reports_refusals_both_ways()
        {
            m_kernel.AddRemoteListener(8001, RemoteListenerBehavior.RefuseSynchronously);
            m_kernel.AddRemoteListener(8002, RemoteListenerBehavior.Refuse);
            IntPtr client = NewSocket();
            using var block = new RawBlock(m_kernel);

            Sockaddr.WithAddress(8002, (address, length) => Assert.False(m_kernel.ConnectEx(client, address, length, IntPtr.Zero, 0, out _, block.Address)));
            Assert.Equal(SocketError.InvalidArgument, m_kernel.GetLastError());

            Sockaddr.WithAddress(0, (address, length) => Assert.Equal(SocketError.Success, m_kernel.Bind(client, address, length)));
            Sockaddr.WithAddress(8001, (address, length) => Assert.False(m_kernel.ConnectEx(client, address, length, IntPtr.Zero, 0, out _, block.Address)));
            Assert.Equal(SocketError.ConnectionRefused, m_kernel.GetLastError());
            Assert.False(Dequeue(out _, out _));

            Sockaddr.WithAddress(8002, (address, length) => Assert.False(m_kernel.ConnectEx(client, address, length, IntPtr.Zero, 0, out _, block.Address)));
            Assert.Equal(SocketError.IOPending, m_kernel.GetLastError());
            Assert.True(Dequeue(out _, out int error));
            Assert.Equal(KernelErrors.ConnectionRefused, error);
        }

        [Fact]
        public void A_completion_into_a_freed_block_is_recorded_as_use_after_free_and_not_written()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);

            block.FreeBlock();
            Assert.Equal(1, m_kernel.FreedWhilePendingCount);
            Assert.Equal(0, m_kernel.UseAfterFreeCount);

            peer.Reset();

            Assert.Equal(1, m_kernel.UseAfterFreeCount);
            Assert.False(Dequeue(out _, out _));
            Assert.Contains(m_kernel.Violations, v => v.Contains("use-after-free", StringComparison.Ordinal));
        }

        [Fact]
        public void A_queued_completion_for_a_block_freed_before_dequeue_is_a_use_after_free()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);
            peer.Reset();

            block.FreeBlock();

            Assert.False(Dequeue(out _, out _));
            Assert.Equal(1, m_kernel.UseAfterFreeCount);
        }

        [Fact]
        public void A_new_block_at_a_freed_address_is_not_mistaken_for_the_old_one()
        {
            (IntPtr server, RemotePeer peer) = AcceptedConnection();
            using var block = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);
            IntPtr address = block.Address;

            // Simulate the allocator handing the same address out again.
            m_kernel.OverlappedBlockFreeing(address);
            m_kernel.OverlappedBlockAllocated(address, 64);
            peer.Reset();

            Assert.Equal(1, m_kernel.UseAfterFreeCount);
        }

        [Fact]
        public void Handing_over_an_overlapped_that_is_still_pending_is_a_violation()
        {
            (IntPtr server, _) = AcceptedConnection();
            using var block = new RawBlock(m_kernel);
            SocketFlags flags = SocketFlags.None;
            m_kernel.Receive(server, block.WsaBuffer, 1, out _, ref flags, block.Address);

            Assert.Equal(SocketError.SocketError, m_kernel.Send(server, block.WsaBuffer, 1, out _, SocketFlags.None, block.Address));

            Assert.Equal(1, m_kernel.ViolationCount);
        }

        [Fact]
        public void GetQueuedCompletionStatus_times_out_and_delivers_posted_packets()
        {
            Assert.False(m_kernel.GetQueuedCompletionStatus(m_port, out _, out _, out IntPtr none, 0));
            Assert.Equal(IntPtr.Zero, none);
            Assert.Equal(KernelErrors.WaitTimeout, (int)m_kernel.GetLastError());

            Assert.True(m_kernel.PostQueuedCompletionStatus(m_port, 5, new IntPtr(42), IntPtr.Zero));
            Assert.True(m_kernel.GetQueuedCompletionStatus(m_port, out int bytes, out IntPtr key, out IntPtr overlapped, 0));
            Assert.Equal(5, bytes);
            Assert.Equal(new IntPtr(42), key);
            Assert.Equal(IntPtr.Zero, overlapped);
        }

        private bool Dequeue(out IntPtr overlapped, out int error) => Dequeue(out overlapped, out error, out _);

        private bool Dequeue(out IntPtr overlapped, out int error, out int bytes)
        {
            bool ok = m_kernel.GetQueuedCompletionStatus(m_port, out bytes, out _, out overlapped, 0);
            error = ok ? 0 : (int)m_kernel.GetLastError();
            return overlapped != IntPtr.Zero;
        }

        private IntPtr NewSocket()
        {
            IntPtr socket = m_kernel.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.True(m_kernel.AssociateWithCompletionPort(socket, m_port, IntPtr.Zero));
            return socket;
        }

        private IntPtr m_listener;

        private IntPtr Listener()
        {
            if (m_listener == IntPtr.Zero)
            {
                m_listener = NewSocket();
                Sockaddr.WithAddress(Port, (address, length) => Assert.Equal(SocketError.Success, m_kernel.Bind(m_listener, address, length)));
                Assert.Equal(SocketError.Success, m_kernel.Listen(m_listener, 16));
            }

            return m_listener;
        }

        // A connection from a remote client, accepted through AcceptEx; the accept completion is consumed.
        private (IntPtr Server, RemotePeer Peer) AcceptedConnection()
        {
            IntPtr listener = Listener();
            RemotePeer peer = m_kernel.RemoteConnect(Port);
            IntPtr server = NewSocket();
            using var block = new RawBlock(m_kernel, dataLength: 88);
            Assert.True(m_kernel.AcceptEx(listener, server, block.Data, 0, 44, 44, out _, block.Address));
            Assert.True(Dequeue(out _, out int error));
            Assert.Equal(0, error);
            return (server, peer);
        }
    }
}
