using System;
using System.Runtime.InteropServices;

namespace AsyncIoLike
{
    /// <summary>Pins a receive buffer for the life of the socket.</summary>
    internal sealed class PinnedBuffer : IDisposable
    {
        private readonly GCHandle m_handle;

        public PinnedBuffer(byte[] buffer)
        {
            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        }

        public IntPtr Address => m_handle.AddrOfPinnedObject();

        public void Dispose() { }
    }
}
