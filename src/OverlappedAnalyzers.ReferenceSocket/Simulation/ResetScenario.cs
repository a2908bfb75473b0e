namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>How one connection of a reset storm meets its reset (the interleavings that matter).</summary>
    public enum ResetScenario
    {
        /// <summary>Accepted, then reset before the receive is posted: WSARecv fails synchronously (10054), no completion.</summary>
        ResetBeforeReceive,

        /// <summary>Accepted, receive pending, then reset: the receive completes with error 64.</summary>
        ResetWhileReceivePending,

        /// <summary>Reset while the AcceptEx is pending: the accept completes with error 64.</summary>
        ResetDuringAccept,

        /// <summary>Connected and reset in the backlog before AcceptEx: AcceptEx fails synchronously (10054).</summary>
        ResetInBacklog,

        /// <summary>Receive pending, reset queues its completion, and the socket is disposed before that completion is dequeued.</summary>
        DisposeRacingResetCompletion,

        /// <summary>Disposed with the receive still pending: CancelIoEx/closesocket complete it with 995.</summary>
        DisposeWhileReceivePending,

        /// <summary>Accepted, reset, then a send: WSASend fails synchronously (10054).</summary>
        ResetBeforeSend,

        /// <summary>Client side: ConnectEx fails synchronously with WSAECONNREFUSED (10061).</summary>
        ConnectRefusedSynchronously,

        /// <summary>Client side: connected, the server resets at once, the first receive fails synchronously.</summary>
        ConnectThenReset,
    }
}
