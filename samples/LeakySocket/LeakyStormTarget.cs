using System;
using System.Net;
using OverlappedAnalyzers.ReferenceSocket;
using OverlappedAnalyzers.ReferenceSocket.Simulation;

namespace LeakySocket
{
    /// <summary>The leaky socket, with a seed-like completion loop, as a reset-storm target.</summary>
    public sealed class LeakyStormTarget : IResetStormTarget<LeakySocket>, IDisposable
    {
        private readonly IntPtr m_port;

        public LeakyStormTarget(SimulatedKernel kernel)
        {
            Kernel = kernel;
            m_port = kernel.CreateCompletionPort();
        }

        public SimulatedKernel Kernel { get; }

        public LeakySocket CreateSocket() => new LeakySocket(Kernel, m_port);

        public void Bind(LeakySocket socket, IPEndPoint localEndPoint) => socket.Bind(localEndPoint);

        public void Listen(LeakySocket socket, int backlog) => socket.Listen(backlog);

        public void Accept(LeakySocket listener, LeakySocket acceptSocket) => listener.Accept(acceptSocket);

        public void Connect(LeakySocket socket, IPEndPoint remoteEndPoint) => socket.Connect(remoteEndPoint);

        public void Send(LeakySocket socket, byte[] buffer) => socket.Send(buffer, 0, buffer.Length);

        public void Receive(LeakySocket socket, byte[] buffer) => socket.Receive(buffer, 0, buffer.Length);

        public bool TryDequeue(out StormCompletion<LeakySocket> completion)
        {
            bool success = Kernel.GetQueuedCompletionStatus(m_port, out _, out _, out IntPtr address, 0);
            int error = success ? 0 : (int)Kernel.GetLastError();
            if (address == IntPtr.Zero)
            {
                completion = default;
                return false;
            }

            LeakyOverlapped overlapped = LeakyOverlapped.CompleteOperation(address);
            completion = new StormCompletion<LeakySocket>(
                overlapped.OperationType,
                overlapped.Disposed ? null : overlapped.AsyncSocket,
                overlapped.OperationType == OperationKind.Accept ? overlapped.State as LeakySocket : null,
                error);
            return true;
        }

        public LiveCounts ReadLiveCounts() => new LiveCounts(LeakyResources.OverlappedBlocks, LeakyResources.GCHandles, LeakyResources.Sockets);

        public void Dispose()
        {
            while (TryDequeue(out _))
            {
            }

            Kernel.CloseCompletionPort(m_port);
        }
    }
}
