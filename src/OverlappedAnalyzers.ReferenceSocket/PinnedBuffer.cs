using System;
using System.Runtime.InteropServices;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// Keeps a managed buffer pinned while the kernel may read or write it. Owned by a
    /// <see cref="SocketOverlapped"/>, which releases it only when its operation can no longer
    /// touch the memory (idle, or after the completion).
    /// </summary>
    internal sealed class PinnedBuffer : IDisposable
    {
        private GCHandle m_handle;

        public PinnedBuffer(byte[] buffer)
        {
            Pin(buffer);
        }

        public byte[]? Buffer { get; private set; }

        public IntPtr Address { get; private set; }

        /// <summary>Pins <paramref name="buffer"/> instead of the current one; the old pin is released first.</summary>
        public void Switch(byte[] buffer)
        {
            if (ReferenceEquals(buffer, Buffer))
            {
                return;
            }

            Unpin();
            Pin(buffer);
        }

        public void Dispose() => Unpin();

        // Callers release any previous pin first (the constructor has none; Switch unpins).
        private void Pin(byte[] buffer)
        {
            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            LiveResources.GCHandleAllocated();
            Buffer = buffer;
            Address = m_handle.AddrOfPinnedObject();
        }

        private void Unpin()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
                LiveResources.GCHandleFreed();
            }

            Buffer = null;
            Address = IntPtr.Zero;
        }
    }
}
