namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>The remote end of a simulated TCP connection: what the other machine does.</summary>
    public sealed class RemotePeer
    {
        private readonly SimulatedKernel m_kernel;
        private readonly SimulatedKernel.Endpoint m_endpoint;

        internal RemotePeer(SimulatedKernel kernel, SimulatedKernel.Endpoint endpoint)
        {
            m_kernel = kernel;
            m_endpoint = endpoint;
        }

        /// <summary>Bytes the local side sent to this peer.</summary>
        public long ReceivedBytes => m_kernel.ReceivedByRemote(m_endpoint);

        /// <summary>The local side reset or abandoned the connection.</summary>
        public bool IsResetByLocal => m_kernel.IsResetReceived(m_endpoint);

        /// <summary>The local side closed the connection.</summary>
        public bool IsClosedByLocal => m_kernel.IsFinReceived(m_endpoint);

        /// <summary>Sends an RST: a pending receive on the local side completes with ERROR_NETNAME_DELETED (64); a later one fails synchronously with WSAECONNRESET.</summary>
        public void Reset() => m_kernel.ResetFromRemote(m_endpoint);

        /// <summary>Sends data to the local side.</summary>
        public void Send(byte[] data) => m_kernel.SendFromRemote(m_endpoint, data);

        /// <summary>Sends a FIN: the local side's receive completes with 0 bytes.</summary>
        public void Shutdown() => m_kernel.ShutdownFromRemote(m_endpoint);
    }
}
