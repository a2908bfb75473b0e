using System;
using System.Runtime.InteropServices;

namespace AsyncIoLike
{
    /// <summary>The block AcceptEx writes both addresses into, allocated on first use.</summary>
    internal sealed class AcceptAddresses : IDisposable
    {
        private const int Size = 2 * (16 + 16);

        private IntPtr m_block;

        public IntPtr Block
        {
            get
            {
                if (m_block == IntPtr.Zero)
                {
                    m_block = Marshal.AllocHGlobal(Size);
                }

                return m_block;
            }
        }

        public void Dispose()
        {
            GC.SuppressFinalize(this);
            if (m_block != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(m_block);
                m_block = IntPtr.Zero;
            }
        }
    }
}
