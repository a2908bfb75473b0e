namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>What a simulated remote server does with an incoming ConnectEx.</summary>
    public enum RemoteListenerBehavior
    {
        /// <summary>Accepts; the connection stays up (see <see cref="RemotePeer"/>).</summary>
        Accept,

        /// <summary>Accepts and resets at once (the health-check prober, seen from the client side).</summary>
        AcceptThenReset,

        /// <summary>Refuses: the ConnectEx completion fails with ERROR_CONNECTION_REFUSED (1225).</summary>
        Refuse,

        /// <summary>Refuses on the fast path: ConnectEx itself fails with WSAECONNREFUSED (10061), no completion.</summary>
        RefuseSynchronously,
    }
}
