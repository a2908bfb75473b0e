using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LeakySocketSample = LeakySocket;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Xunit;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    /// <summary>
    /// The incident, reproduced: connections that reset at once, through every interleaving that
    /// matters, chosen by a seeded random schedule.
    /// </summary>
    public sealed class ResetStormTests
    {
        private const int Connections = 20_000;

        [Theory]
        [InlineData(1)]
        [InlineData(20190803)]
        [InlineData(997)]
        public void Reference_socket_returns_to_baseline_after_a_reset_storm(int seed)
        {
            var kernel = new SimulatedKernel();
            ResetStormResult result;
            using (var target = new ReferenceStormTarget(kernel))
            {
                result = new ResetStorm<IocpSocket>(target).Run(Connections, seed);
            }

            Assert.Equal(0L, result.Leaked.OverlappedBlocks);
            Assert.Equal(0L, result.Leaked.GCHandles);
            Assert.Equal(0L, result.Leaked.Sockets);
            Assert.True(result.Peak.OverlappedBlocks > result.Baseline.OverlappedBlocks);
            Assert.Equal(0, kernel.UseAfterFreeCount);
            Assert.Equal(0, kernel.FreedWhilePendingCount);
            Assert.True(kernel.ViolationCount == 0, string.Join(Environment.NewLine, kernel.Violations));
            Assert.Equal(0, kernel.PendingOperationCount);
            Assert.Equal(0, kernel.QueuedCompletionCount);
            Assert.Equal(0, kernel.OpenSocketCount);
            Assert.Equal(0, kernel.LiveOverlappedBlockCount);

            // The schedule really exercised every interleaving and both kinds of failure.
            foreach (ResetScenario scenario in Enum.GetValues<ResetScenario>())
            {
                Assert.True(result.ScenarioCount(scenario) > Connections / 20, scenario + " was hardly exercised");
            }

            Assert.True(result.SynchronousFailures(OperationKind.Receive) > 0);
            Assert.True(result.SynchronousFailures(OperationKind.Send) > 0);
            Assert.True(result.SynchronousFailures(OperationKind.Accept) > 0);
            Assert.True(result.SynchronousFailures(OperationKind.Connect) > 0);
            Assert.True(result.FailedCompletions > 0);
            Assert.Equal(kernel.SynchronousFailureCount, result.SynchronousFailures(OperationKind.Receive) + result.SynchronousFailures(OperationKind.Send) + result.SynchronousFailures(OperationKind.Accept) + result.SynchronousFailures(OperationKind.Connect));
        }

        [Fact]
        public void Leaky_sample_leaks_one_block_and_one_gchandle_per_synchronous_failure_reset()
        {
            var kernel = new SimulatedKernel();
            using var target = new LeakySocketSample.LeakyStormTarget(kernel);
            var storm = new ResetStorm<LeakySocketSample.LeakySocket>(target);

            ResetStormResult small = storm.Run(Connections / 4, seed: 5);
            ResetStormResult large = storm.Run(Connections, seed: 6);

            foreach (ResetStormResult result in new[] { small, large })
            {
                // Receive completes the wrong overlapped (OVL002); Send and Connect throw without
                // completing (OVL001). A failed Accept leaks nothing per connection only because the
                // listener re-arms the same overlapped and a later completion clears the flag.
                int leakingResets = result.SynchronousFailures(OperationKind.Receive) + result.SynchronousFailures(OperationKind.Send) + result.SynchronousFailures(OperationKind.Connect);
                Assert.True(leakingResets > result.Connections / 4);
                Assert.Equal(leakingResets, result.Leaked.OverlappedBlocks);
                Assert.Equal(leakingResets, result.Leaked.GCHandles);
                Assert.Equal(0L, result.Leaked.Sockets);
            }

            Assert.True(large.Leaked.OverlappedBlocks > 3 * small.Leaked.OverlappedBlocks, "the leak grows with the number of resets");
            Assert.Equal(small.Leaked.OverlappedBlocks + large.Leaked.OverlappedBlocks, kernel.LiveOverlappedBlockCount);
            Assert.Equal(0, kernel.UseAfterFreeCount);
        }

        [Fact]
        public void Leaky_sample_does_not_leak_when_no_reset_fails_synchronously()
        {
            // The incident needed the synchronous failure: resets that arrive as completions are fine.
            var kernel = new SimulatedKernel();
            using var target = new LeakySocketSample.LeakyStormTarget(kernel);
            ResetStormResult result = new ResetStorm<LeakySocketSample.LeakySocket>(target).Run(
                5_000,
                seed: 7,
                new[] { ResetScenario.ResetWhileReceivePending, ResetScenario.ResetDuringAccept, ResetScenario.DisposeRacingResetCompletion, ResetScenario.DisposeWhileReceivePending });

            Assert.Equal(0L, result.Leaked.OverlappedBlocks);
            Assert.Equal(0L, result.Leaked.GCHandles);
        }

        [Fact]
        public async Task Reference_socket_survives_dispose_racing_completions_on_a_port_thread()
        {
            const int RemotePort = 9500;
            var kernel = new SimulatedKernel();
            kernel.AddRemoteListener(RemotePort, RemoteListenerBehavior.Accept);
            long blocks = LiveResources.OverlappedBlocks;
            long handles = LiveResources.GCHandles;
            long sockets = LiveResources.Sockets;
            var random = new Random(42);
            var remote = new IPEndPoint(IPAddress.Loopback, RemotePort);
            byte[] buffer = new byte[32];

            using (var port = new CompletionPort(kernel))
            using (var stop = new CancellationTokenSource())
            {
                // The server loop: a failed completion means the connection is gone.
                Task loop = Task.Run(() => port.Run(
                    status =>
                    {
                        if (!status.Succeeded && !status.OwnerDisposed)
                        {
                            status.Socket?.Dispose();
                        }

                        return true;
                    },
                    stop.Token,
                    pollMilliseconds: 5));

                for (int i = 0; i < 5_000; i++)
                {
                    var client = new IocpSocket(port);
                    client.Connect(remote);
                    RemotePeer peer = kernel.TakeAcceptedRemotePeer(RemotePort)!;
                    try
                    {
                        client.Receive(buffer, 0, buffer.Length);
                    }
                    catch (ObjectDisposedException)
                    {
                    }

                    // Reset and dispose race the port thread's completion handling.
                    if (random.Next(2) == 0)
                    {
                        peer.Reset();
                        client.Dispose();
                    }
                    else
                    {
                        client.Dispose();
                        peer.Reset();
                    }
                }

                // Let the port thread take what is queued (the race under test); Drain below takes whatever it has
                // not, so this wait decides nothing and its bound is only a hang guard, far above any machine's pace.
                SpinWait.SpinUntil(() => kernel.QueuedCompletionCount == 0, TimeSpan.FromMinutes(2));
                stop.Cancel();
                await loop;
                port.Drain();
            }

            Assert.Equal(blocks, LiveResources.OverlappedBlocks);
            Assert.Equal(handles, LiveResources.GCHandles);
            Assert.Equal(sockets, LiveResources.Sockets);
            Assert.Equal(0, kernel.UseAfterFreeCount);
            Assert.True(kernel.ViolationCount == 0, string.Join(Environment.NewLine, kernel.Violations));
        }
    }
}
