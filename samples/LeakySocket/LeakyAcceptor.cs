using System;
using OverlappedAnalyzers.ReferenceSocket;

namespace LeakySocket
{
    /// <summary>
    /// An acceptor that owns an overlapped of its own and forgets it in Dispose. Not used by the storm:
    /// it is here so the build shows OVL004 (see IocpSocket.Dispose in the reference library for the fix).
    /// </summary>
    public sealed class LeakyAcceptor : IDisposable
    {
        private readonly LeakySocket m_listener;
        private readonly LeakyOverlapped m_acceptOverlapped;

        public LeakyAcceptor(INativeSocketApi native, LeakySocket listener)
        {
            m_listener = listener;
            m_acceptOverlapped = new LeakyOverlapped(native, listener);
        }

        public IntPtr AcceptAddress => m_acceptOverlapped.Address;

        // BUG (OVL004): m_acceptOverlapped is never disposed: its native block and GCHandle leak.
        public void Dispose()
        {
            m_listener.Dispose();
        }
    }
}
