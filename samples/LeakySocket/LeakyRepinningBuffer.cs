using System;
using System.Runtime.InteropServices;

namespace LeakySocket
{
    /// <summary>
    /// The incident's pinned buffer as a fork "simplified" it: Switch re-pins without releasing the
    /// old pin. Not used by the storm: it is here so the build shows OVL003 (compare PinnedBuffer.Switch,
    /// which releases first and stays silent).
    /// </summary>
    public sealed class LeakyRepinningBuffer : IDisposable
    {
        private GCHandle m_handle;

        public LeakyRepinningBuffer(byte[] buffer)
        {
            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        }

        public IntPtr Address => m_handle.AddrOfPinnedObject();

        // BUG (OVL003): the old pinned handle is overwritten while still allocated; every switch
        // leaks one strong GCHandle and keeps the previous buffer pinned for the life of the process.
        public void Switch(byte[] buffer)
        {
            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        }

        public void Dispose()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
            }
        }
    }
}
