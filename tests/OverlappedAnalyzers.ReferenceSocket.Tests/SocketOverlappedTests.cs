using System;
using System.Threading;
using System.Threading.Tasks;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Xunit;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    public sealed class SocketOverlappedTests
    {
        private readonly SimulatedKernel m_kernel = new SimulatedKernel();

        [Fact]
        public void Idle_overlapped_is_freed_by_dispose()
        {
            long blocks = LiveResources.OverlappedBlocks;
            long handles = LiveResources.GCHandles;
            var overlapped = new SocketOverlapped(m_kernel, owner: null);
            Assert.Equal(OverlappedState.Idle, overlapped.State);
            Assert.Equal(blocks + 1, LiveResources.OverlappedBlocks);
            Assert.Equal(handles + 1, LiveResources.GCHandles);
            Assert.Equal(1, m_kernel.LiveOverlappedBlockCount);

            overlapped.Dispose();

            Assert.Equal(OverlappedState.Freed, overlapped.State);
            Assert.Equal(blocks, LiveResources.OverlappedBlocks);
            Assert.Equal(handles, LiveResources.GCHandles);
            Assert.Equal(0, m_kernel.LiveOverlappedBlockCount);
            overlapped.Dispose();
            Assert.Equal(0, m_kernel.ViolationCount);
        }

        [Fact]
        public void Start_complete_cycles_through_in_progress_and_completed()
        {
            using var overlapped = new SocketOverlapped(m_kernel, owner: null);

            overlapped.StartOperation(OperationKind.Receive);
            Assert.Equal(OverlappedState.InProgress, overlapped.State);
            Assert.Equal(OperationKind.Receive, overlapped.Kind);
            overlapped.Complete();
            Assert.Equal(OverlappedState.Completed, overlapped.State);
            overlapped.StartOperation(OperationKind.Send);
            Assert.Equal(OverlappedState.InProgress, overlapped.State);
            overlapped.Complete();
        }

        [Fact]
        public void Starting_twice_or_completing_nothing_is_refused()
        {
            using var overlapped = new SocketOverlapped(m_kernel, owner: null);
            Assert.Throws<InvalidOperationException>(() => overlapped.Complete());
            overlapped.StartOperation(OperationKind.Receive);
            Assert.Throws<InvalidOperationException>(() => overlapped.StartOperation(OperationKind.Receive));
            overlapped.Complete();
            Assert.Throws<InvalidOperationException>(() => overlapped.Complete());
        }

        [Fact]
        public void Dispose_while_pending_defers_the_free_to_the_completion()
        {
            long blocks = LiveResources.OverlappedBlocks;
            var overlapped = new SocketOverlapped(m_kernel, owner: null);
            overlapped.SetBuffer(new byte[8], 0, 8);
            overlapped.StartOperation(OperationKind.Receive);

            overlapped.Dispose();

            Assert.Equal(OverlappedState.DisposedWhilePending, overlapped.State);
            Assert.Equal(blocks + 1, LiveResources.OverlappedBlocks);
            Assert.NotEqual(IntPtr.Zero, overlapped.Address);
            Assert.Throws<ObjectDisposedException>(() => overlapped.StartOperation(OperationKind.Receive));

            Assert.True(overlapped.CompleteCore());

            Assert.Equal(OverlappedState.Freed, overlapped.State);
            Assert.Equal(blocks, LiveResources.OverlappedBlocks);
            Assert.Equal(IntPtr.Zero, overlapped.Address);
        }

        [Fact]
        public void Buffers_cannot_be_switched_while_the_kernel_may_use_them_and_switching_releases_the_old_pin()
        {
            long handles = LiveResources.GCHandles;
            using var overlapped = new SocketOverlapped(m_kernel, owner: null);
            overlapped.SetBuffer(new byte[8], 0, 8);
            Assert.Equal(handles + 2, LiveResources.GCHandles);
            overlapped.SetBuffer(new byte[16], 4, 8);
            Assert.Equal(handles + 2, LiveResources.GCHandles);

            overlapped.StartOperation(OperationKind.Receive);
            Assert.Throws<InvalidOperationException>(() => overlapped.SetBuffer(new byte[4], 0, 4));
            overlapped.Complete();
            Assert.Throws<ArgumentOutOfRangeException>(() => overlapped.SetBuffer(new byte[4], 2, 4));

            overlapped.Dispose();
            Assert.Equal(handles, LiveResources.GCHandles);
        }

        [Fact]
        public void The_block_leads_back_to_its_managed_overlapped()
        {
            var owner = new object();
            using var overlapped = new SocketOverlapped(m_kernel, owner);
            Assert.Same(overlapped, SocketOverlapped.FromAddress(overlapped.Address));
            Assert.Same(owner, SocketOverlapped.FromAddress(overlapped.Address).Owner);
        }

        [Fact]
        public async Task Dispose_racing_the_completion_frees_exactly_once()
        {
            long blocks = LiveResources.OverlappedBlocks;
            long handles = LiveResources.GCHandles;
            for (int i = 0; i < 2_000; i++)
            {
                var overlapped = new SocketOverlapped(m_kernel, owner: null);
                overlapped.StartOperation(OperationKind.Receive);
                using var barrier = new Barrier(2);
                Task completer = Task.Run(() =>
                {
                    barrier.SignalAndWait();
                    overlapped.Complete();
                });
                barrier.SignalAndWait();
                overlapped.Dispose();
                await completer;

                Assert.Equal(OverlappedState.Freed, overlapped.State);
            }

            Assert.Equal(blocks, LiveResources.OverlappedBlocks);
            Assert.Equal(handles, LiveResources.GCHandles);
            Assert.Equal(0, m_kernel.ViolationCount);
        }
    }
}
