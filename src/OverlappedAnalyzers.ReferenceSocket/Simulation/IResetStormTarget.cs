using System;
using System.Net;

namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>
    /// The socket implementation a <see cref="ResetStorm{TSocket}"/> drives: the reference socket
    /// or the leaky sample, both over the same <see cref="SimulatedKernel"/>. Every operation
    /// throws <see cref="System.Net.Sockets.SocketException"/> on a synchronous failure.
    /// </summary>
    public interface IResetStormTarget<TSocket>
        where TSocket : class, IDisposable
    {
        SimulatedKernel Kernel { get; }

        TSocket CreateSocket();

        void Bind(TSocket socket, IPEndPoint localEndPoint);

        void Listen(TSocket socket, int backlog);

        void Accept(TSocket listener, TSocket acceptSocket);

        void Connect(TSocket socket, IPEndPoint remoteEndPoint);

        void Send(TSocket socket, byte[] buffer);

        void Receive(TSocket socket, byte[] buffer);

        /// <summary>Dequeues one completion without waiting (and completes its overlapped).</summary>
        bool TryDequeue(out StormCompletion<TSocket> completion);

        /// <summary>The implementation's own live counts.</summary>
        LiveCounts ReadLiveCounts();
    }

    /// <summary>A completion as the storm sees it.</summary>
    public readonly struct StormCompletion<TSocket>
        where TSocket : class
    {
        public StormCompletion(OperationKind kind, TSocket? socket, TSocket? acceptSocket, int errorCode)
        {
            Kind = kind;
            Socket = socket;
            AcceptSocket = acceptSocket;
            ErrorCode = errorCode;
        }

        public OperationKind Kind { get; }

        public TSocket? Socket { get; }

        public TSocket? AcceptSocket { get; }

        public int ErrorCode { get; }
    }

    /// <summary>Live OVERLAPPED blocks, GCHandles and sockets at one moment.</summary>
    public readonly struct LiveCounts
    {
        public LiveCounts(long overlappedBlocks, long gcHandles, long sockets)
        {
            OverlappedBlocks = overlappedBlocks;
            GCHandles = gcHandles;
            Sockets = sockets;
        }

        public long OverlappedBlocks { get; }

        public long GCHandles { get; }

        public long Sockets { get; }

        public static LiveCounts Max(LiveCounts a, LiveCounts b) =>
            new LiveCounts(Math.Max(a.OverlappedBlocks, b.OverlappedBlocks), Math.Max(a.GCHandles, b.GCHandles), Math.Max(a.Sockets, b.Sockets));

        public static LiveCounts operator -(LiveCounts a, LiveCounts b) =>
            new LiveCounts(a.OverlappedBlocks - b.OverlappedBlocks, a.GCHandles - b.GCHandles, a.Sockets - b.Sockets);

        public override string ToString() => "blocks=" + OverlappedBlocks + " gchandles=" + GCHandles + " sockets=" + Sockets;
    }
}
