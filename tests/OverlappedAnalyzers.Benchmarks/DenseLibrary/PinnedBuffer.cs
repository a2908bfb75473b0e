using System;
using System.Runtime.InteropServices;

namespace Dense.Sockets
{
    /// <summary>
    /// A managed array pinned for as long as the kernel may write into it. One instance per socket direction; Switch re-pins
    /// it on another array between operations (never while one is in progress).
    /// </summary>
    internal sealed class PinnedBuffer : IDisposable
    {
        private GCHandle m_handle;
        private byte[] m_array;

        public PinnedBuffer(byte[] array)
        {
            m_array = array ?? throw new ArgumentNullException(nameof(array));
            m_handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        }

        public byte[] Array => m_array;

        public int Length => m_array.Length;

        /// <summary>The address of element <paramref name="offset"/>, valid until the next Switch or Dispose.</summary>
        public IntPtr AddressOf(int offset)
        {
            if ((uint)offset > (uint)m_array.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset));
            }

            return m_handle.AddrOfPinnedObject() + offset;
        }

        public void Switch(byte[] array)
        {
            if (array is null)
            {
                throw new ArgumentNullException(nameof(array));
            }

            if (ReferenceEquals(array, m_array))
            {
                return;
            }

            if (m_handle.IsAllocated)
            {
                m_handle.Free();
            }

            m_array = array;
            m_handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        }

        public void Dispose()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
            }

            m_array = null;
        }
    }
}
