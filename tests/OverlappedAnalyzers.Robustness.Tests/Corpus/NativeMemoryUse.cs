using System;
using System.Runtime.InteropServices;

namespace Corpus.Memory
{
    public static unsafe class NativeBlocks
    {
        public static void HGlobal(int size, bool fail)
        {
            IntPtr block = Marshal.AllocHGlobal(size);
            if (fail)
            {
                return;
            }

            Marshal.FreeHGlobal(block);
        }

        public static void CoTaskMem()
        {
            var block = Marshal.AllocCoTaskMem(64);
            try
            {
                Marshal.WriteInt32(block, 1);
            }
            finally
            {
                Marshal.FreeCoTaskMem(block);
            }
        }

        public static void* Native(nuint size) => NativeMemory.Alloc(size);

        public static void Zeroed(nuint count)
        {
            var p = NativeMemory.AllocZeroed(count, 8);
            NativeMemory.Free(p);
        }

        public static void Aligned()
        {
            void* p = NativeMemory.AlignedAlloc(128, 64);
            if (p == null)
            {
                throw new OutOfMemoryException();
            }

            NativeMemory.AlignedFree(p);
        }
    }

    public sealed class Owner : IDisposable
    {
        private IntPtr m_block = Marshal.AllocHGlobal(16);

        public void Grow(int size)
        {
            m_block = Marshal.AllocHGlobal(size);
        }

        public void Dispose()
        {
            if (m_block != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(m_block);
                m_block = IntPtr.Zero;
            }
        }
    }
}
