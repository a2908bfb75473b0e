using System;
using System.Net;

namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>The reference socket as a <see cref="ResetStorm{TSocket}"/> target.</summary>
    public sealed class ReferenceStormTarget : IResetStormTarget<IocpSocket>, IDisposable
    {
        private readonly CompletionPort m_port;

        public ReferenceStormTarget(SimulatedKernel kernel)
        {
            Kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
            m_port = new CompletionPort(kernel);
        }

        public SimulatedKernel Kernel { get; }

        public CompletionPort Port => m_port;

        public IocpSocket CreateSocket() => new IocpSocket(m_port);

        public void Bind(IocpSocket socket, IPEndPoint localEndPoint) => socket.Bind(localEndPoint);

        public void Listen(IocpSocket socket, int backlog) => socket.Listen(backlog);

        public void Accept(IocpSocket listener, IocpSocket acceptSocket) => listener.Accept(acceptSocket);

        public void Connect(IocpSocket socket, IPEndPoint remoteEndPoint) => socket.Connect(remoteEndPoint);

        public void Send(IocpSocket socket, byte[] buffer) => socket.Send(buffer, 0, buffer.Length);

        public void Receive(IocpSocket socket, byte[] buffer) => socket.Receive(buffer, 0, buffer.Length);

        public bool TryDequeue(out StormCompletion<IocpSocket> completion)
        {
            if (!m_port.TryDequeue(0, out CompletionStatus status))
            {
                completion = default;
                return false;
            }

            completion = new StormCompletion<IocpSocket>(status.Kind, status.OwnerDisposed ? null : status.Socket, status.AcceptSocket, status.ErrorCode);
            return true;
        }

        public LiveCounts ReadLiveCounts() => new LiveCounts(LiveResources.OverlappedBlocks, LiveResources.GCHandles, LiveResources.Sockets);

        public void Dispose() => m_port.Dispose();
    }
}
