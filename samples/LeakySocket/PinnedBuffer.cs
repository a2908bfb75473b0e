using System;
using System.Runtime.InteropServices;

namespace LeakySocket
{
    /// <summary>Pins a buffer for overlapped I/O; switching buffers releases the old pin first.</summary>
    public sealed class PinnedBuffer : IDisposable
    {
        private GCHandle m_handle;

        public PinnedBuffer(byte[] buffer)
        {
            SetBuffer(buffer);
        }

        public byte[]? Buffer { get; private set; }

        public IntPtr Address { get; private set; }

        public void Switch(byte[] buffer)
        {
            Release();
            SetBuffer(buffer);
        }

        public void Dispose() => Release();

        private void SetBuffer(byte[] buffer)
        {
            Buffer = buffer;
            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            LeakyResources.HandleAllocated();
            Address = m_handle.AddrOfPinnedObject();
        }

        private void Release()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
                LeakyResources.HandleFreed();
            }

            Buffer = null;
            Address = IntPtr.Zero;
        }
    }
}
