using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading;

namespace Dense.Sockets
{
    /// <summary>
    /// Page-aligned native receive blocks, pooled: a receive posts one to the kernel and returns it after the completion has
    /// been consumed. Blocks never move, so nothing needs pinning while an operation is outstanding.
    /// </summary>
    public sealed unsafe class NativeBufferPool : IDisposable
    {
        private const int Alignment = 4096;

        private readonly ConcurrentBag<IntPtr> m_free = new ConcurrentBag<IntPtr>();
        private readonly int m_blockSize;
        private readonly int m_maxBlocks;
        private int m_allocated;
        private int m_disposed;

        public NativeBufferPool(int blockSize, int maxBlocks)
        {
            if (blockSize <= 0 || blockSize % Alignment != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(blockSize), "a positive multiple of " + Alignment);
            }

            m_blockSize = blockSize;
            m_maxBlocks = maxBlocks;
        }

        public int BlockSize => m_blockSize;
        public int Allocated => Volatile.Read(ref m_allocated);

        public IntPtr Rent()
        {
            if (Volatile.Read(ref m_disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(NativeBufferPool));
            }

            if (m_free.TryTake(out IntPtr block))
            {
                return block;
            }

            if (Interlocked.Increment(ref m_allocated) > m_maxBlocks)
            {
                Interlocked.Decrement(ref m_allocated);
                throw new InvalidOperationException("receive pool exhausted (" + m_maxBlocks + " blocks)");
            }

            return (IntPtr)NativeMemory.AlignedAlloc((nuint)m_blockSize, Alignment);
        }

        public void Return(IntPtr block)
        {
            if (block == IntPtr.Zero)
            {
                return;
            }

            if (Volatile.Read(ref m_disposed) != 0)
            {
                NativeMemory.AlignedFree((void*)block);
                Interlocked.Decrement(ref m_allocated);
                return;
            }

            m_free.Add(block);
        }

        /// <summary>Zeroes a rented block before it is handed to code that may read stale bytes.</summary>
        public void Clear(IntPtr block) => NativeMemory.Clear((void*)block, (nuint)m_blockSize);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref m_disposed, 1) != 0)
            {
                return;
            }

            while (m_free.TryTake(out IntPtr block))
            {
                NativeMemory.AlignedFree((void*)block);
                Interlocked.Decrement(ref m_allocated);
            }
        }
    }
}
