using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>
    /// Drives connections that reset at once through a socket implementation on the simulated
    /// kernel, one seeded-random <see cref="ResetScenario"/> per connection, handling every
    /// completion the way a server loop would (dispose the socket on error). Single-threaded and
    /// deterministic: the same seed gives the same interleavings.
    /// </summary>
    public sealed class ResetStorm<TSocket>
        where TSocket : class, IDisposable
    {
        /// <summary>The local listener's port.</summary>
        public const int ListenPort = 5000;

        /// <summary>A remote server that refuses on the fast path.</summary>
        public const int RefusingRemotePort = 6001;

        /// <summary>A remote server that accepts and resets at once.</summary>
        public const int ResettingRemotePort = 6002;

        private static readonly ResetScenario[] s_allScenarios = (ResetScenario[])Enum.GetValues(typeof(ResetScenario));

        private readonly IResetStormTarget<TSocket> m_target;
        private readonly SimulatedKernel m_kernel;
        private readonly byte[] m_buffer = new byte[64];
        private readonly List<StormCompletion<TSocket>> m_completions = new List<StormCompletion<TSocket>>();

        public ResetStorm(IResetStormTarget<TSocket> target)
        {
            m_target = target ?? throw new ArgumentNullException(nameof(target));
            m_kernel = target.Kernel;
            m_kernel.AddRemoteListener(RefusingRemotePort, RemoteListenerBehavior.RefuseSynchronously);
            m_kernel.AddRemoteListener(ResettingRemotePort, RemoteListenerBehavior.AcceptThenReset);
        }

        /// <summary>Runs <paramref name="connections"/> resets and disposes everything it created.</summary>
        /// <param name="scenarios">The scenarios to draw from (all when null).</param>
        /// <param name="sampleEvery">How often (in connections) peak live counts are sampled.</param>
        public ResetStormResult Run(int connections, int seed, IReadOnlyList<ResetScenario>? scenarios = null, int sampleEvery = 1)
        {
            IReadOnlyList<ResetScenario> pool = scenarios ?? s_allScenarios;
            var random = new Random(seed);
            var result = new ResetStormResult(connections, seed);
            LiveCounts baseline = m_target.ReadLiveCounts();
            LiveCounts peak = baseline;
            var stopwatch = Stopwatch.StartNew();

            TSocket listener = m_target.CreateSocket();
            m_target.Bind(listener, new IPEndPoint(IPAddress.Loopback, ListenPort));
            m_target.Listen(listener, 128);

            for (int i = 0; i < connections; i++)
            {
                ResetScenario scenario = pool[random.Next(pool.Count)];
                result.Count(scenario);
                RunOne(listener, scenario, result);
                if (sampleEvery > 0 && i % sampleEvery == 0)
                {
                    peak = LiveCounts.Max(peak, m_target.ReadLiveCounts());
                }
            }

            // Leave one accept pending, as a server does, so disposal exercises the cancel path.
            TSocket lastAccept = m_target.CreateSocket();
            m_target.Accept(listener, lastAccept);
            peak = LiveCounts.Max(peak, m_target.ReadLiveCounts());
            listener.Dispose();
            lastAccept.Dispose();
            Drain(result);

            stopwatch.Stop();
            result.Elapsed = stopwatch.Elapsed;
            result.Baseline = baseline;
            result.Peak = peak;
            result.Final = m_target.ReadLiveCounts();
            return result;
        }

        private void RunOne(TSocket listener, ResetScenario scenario, ResetStormResult result)
        {
            switch (scenario)
            {
                case ResetScenario.ResetBeforeReceive:
                {
                    TSocket? socket = AcceptConnection(listener, result, out RemotePeer peer);
                    peer.Reset();
                    if (socket != null)
                    {
                        TryOperation(() => m_target.Receive(socket, m_buffer), OperationKind.Receive, result);
                        socket.Dispose();
                    }

                    break;
                }

                case ResetScenario.ResetWhileReceivePending:
                {
                    TSocket? socket = AcceptConnection(listener, result, out RemotePeer peer);
                    if (socket != null && TryOperation(() => m_target.Receive(socket, m_buffer), OperationKind.Receive, result))
                    {
                        peer.Reset();
                        DrainAndDisposeFailed(result);
                    }
                    else
                    {
                        socket?.Dispose();
                    }

                    break;
                }

                case ResetScenario.ResetDuringAccept:
                {
                    TSocket acceptSocket = m_target.CreateSocket();
                    if (TryOperation(() => m_target.Accept(listener, acceptSocket), OperationKind.Accept, result))
                    {
                        m_kernel.RemoteConnect(ListenPort, resetDuringHandshake: true);
                    }

                    // The failed accept's completion disposes the unused accept socket.
                    DrainAndDisposeFailed(result);
                    if (!m_completions.Exists(c => c.Kind == OperationKind.Accept && ReferenceEquals(c.AcceptSocket, acceptSocket) && c.ErrorCode != 0))
                    {
                        acceptSocket.Dispose();
                    }

                    break;
                }

                case ResetScenario.ResetInBacklog:
                {
                    m_kernel.RemoteConnect(ListenPort).Reset();
                    TSocket acceptSocket = m_target.CreateSocket();
                    TryOperation(() => m_target.Accept(listener, acceptSocket), OperationKind.Accept, result);
                    acceptSocket.Dispose();
                    DrainAndDisposeFailed(result);
                    break;
                }

                case ResetScenario.DisposeRacingResetCompletion:
                {
                    TSocket? socket = AcceptConnection(listener, result, out RemotePeer peer);
                    if (socket != null && TryOperation(() => m_target.Receive(socket, m_buffer), OperationKind.Receive, result))
                    {
                        // The reset's completion is queued; the owner disposes before it is dequeued.
                        peer.Reset();
                        socket.Dispose();
                        Drain(result);
                    }
                    else
                    {
                        socket?.Dispose();
                    }

                    break;
                }

                case ResetScenario.DisposeWhileReceivePending:
                {
                    TSocket? socket = AcceptConnection(listener, result, out RemotePeer peer);
                    if (socket != null && TryOperation(() => m_target.Receive(socket, m_buffer), OperationKind.Receive, result))
                    {
                        socket.Dispose();
                        Drain(result);
                        peer.Reset();
                    }
                    else
                    {
                        socket?.Dispose();
                    }

                    break;
                }

                case ResetScenario.ResetBeforeSend:
                {
                    TSocket? socket = AcceptConnection(listener, result, out RemotePeer peer);
                    peer.Reset();
                    if (socket != null)
                    {
                        TryOperation(() => m_target.Send(socket, m_buffer), OperationKind.Send, result);
                        socket.Dispose();
                    }

                    DrainAndDisposeFailed(result);
                    break;
                }

                case ResetScenario.ConnectRefusedSynchronously:
                {
                    TSocket client = m_target.CreateSocket();
                    TryOperation(() => m_target.Connect(client, new IPEndPoint(IPAddress.Loopback, RefusingRemotePort)), OperationKind.Connect, result);
                    client.Dispose();
                    DrainAndDisposeFailed(result);
                    break;
                }

                case ResetScenario.ConnectThenReset:
                {
                    TSocket client = m_target.CreateSocket();
                    if (TryOperation(() => m_target.Connect(client, new IPEndPoint(IPAddress.Loopback, ResettingRemotePort)), OperationKind.Connect, result))
                    {
                        Drain(result);
                        TryOperation(() => m_target.Receive(client, m_buffer), OperationKind.Receive, result);
                    }

                    client.Dispose();
                    DrainAndDisposeFailed(result);
                    break;
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario));
            }
        }

        // Arms an accept, lets a remote client connect, and returns the accepted socket.
        private TSocket? AcceptConnection(TSocket listener, ResetStormResult result, out RemotePeer peer)
        {
            TSocket acceptSocket = m_target.CreateSocket();
            if (!TryOperation(() => m_target.Accept(listener, acceptSocket), OperationKind.Accept, result))
            {
                acceptSocket.Dispose();
                peer = m_kernel.RemoteConnect(ListenPort);
                return null;
            }

            peer = m_kernel.RemoteConnect(ListenPort);
            Drain(result);
            foreach (StormCompletion<TSocket> completion in m_completions)
            {
                if (completion.Kind == OperationKind.Accept && ReferenceEquals(completion.AcceptSocket, acceptSocket) && completion.ErrorCode == 0)
                {
                    return acceptSocket;
                }
            }

            acceptSocket.Dispose();
            return null;
        }

        private bool TryOperation(Action operation, OperationKind kind, ResetStormResult result)
        {
            try
            {
                operation();
                return true;
            }
            catch (SocketException)
            {
                result.CountSynchronousFailure(kind);
                return false;
            }
        }

        private void Drain(ResetStormResult result)
        {
            m_completions.Clear();
            while (m_target.TryDequeue(out StormCompletion<TSocket> completion))
            {
                m_completions.Add(completion);
                result.CountCompletion(completion.ErrorCode);
            }
        }

        // A server loop's reaction to a failed completion: the connection is gone, dispose it.
        private void DrainAndDisposeFailed(ResetStormResult result)
        {
            Drain(result);
            foreach (StormCompletion<TSocket> completion in m_completions)
            {
                if (completion.ErrorCode == 0)
                {
                    continue;
                }

                if (completion.Kind == OperationKind.Accept)
                {
                    completion.AcceptSocket?.Dispose();
                }
                else
                {
                    completion.Socket?.Dispose();
                }
            }

            // Disposal may have cancelled more operations.
            List<StormCompletion<TSocket>> handled = new List<StormCompletion<TSocket>>(m_completions);
            Drain(result);
            m_completions.InsertRange(0, handled);
        }
    }

    /// <summary>What a storm did and what it left behind.</summary>
    public sealed class ResetStormResult
    {
        private readonly Dictionary<ResetScenario, int> m_scenarios = new Dictionary<ResetScenario, int>();
        private readonly Dictionary<OperationKind, int> m_synchronousFailures = new Dictionary<OperationKind, int>();

        public ResetStormResult(int connections, int seed)
        {
            Connections = connections;
            Seed = seed;
        }

        public int Connections { get; }

        public int Seed { get; }

        public TimeSpan Elapsed { get; internal set; }

        public LiveCounts Baseline { get; internal set; }

        public LiveCounts Peak { get; internal set; }

        public LiveCounts Final { get; internal set; }

        /// <summary>Final minus baseline: what the storm leaked.</summary>
        public LiveCounts Leaked => Final - Baseline;

        public long Completions { get; private set; }

        public long FailedCompletions { get; private set; }

        public double ConnectionsPerSecond => Elapsed.TotalSeconds > 0 ? Connections / Elapsed.TotalSeconds : 0;

        public int ScenarioCount(ResetScenario scenario) => m_scenarios.TryGetValue(scenario, out int count) ? count : 0;

        /// <summary>Operations that threw on a synchronous failure, by kind.</summary>
        public int SynchronousFailures(OperationKind kind) => m_synchronousFailures.TryGetValue(kind, out int count) ? count : 0;

        internal void Count(ResetScenario scenario) => m_scenarios[scenario] = ScenarioCount(scenario) + 1;

        internal void CountSynchronousFailure(OperationKind kind) => m_synchronousFailures[kind] = SynchronousFailures(kind) + 1;

        internal void CountCompletion(int errorCode)
        {
            Completions++;
            if (errorCode != 0)
            {
                FailedCompletions++;
            }
        }
    }
}
