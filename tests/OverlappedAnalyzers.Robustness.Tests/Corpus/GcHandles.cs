using System;
using System.Runtime.InteropServices;

namespace Corpus.Memory
{
    public sealed class PinnedBuffer : IDisposable
    {
        private GCHandle m_handle;
        private byte[] m_buffer;

        public PinnedBuffer(int size)
        {
            m_buffer = new byte[size];
            m_handle = GCHandle.Alloc(m_buffer, GCHandleType.Pinned);
        }

        public IntPtr Address => m_handle.AddrOfPinnedObject();

        public void Switch(byte[] buffer)
        {
            m_handle.Free();
            m_buffer = buffer;
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

    public static class Handles
    {
        public static void Discarded(object target) => GCHandle.Alloc(target);

        public static IntPtr Escapes(object target) => GCHandle.ToIntPtr(GCHandle.Alloc(target, GCHandleType.Normal));

        public static void LeaksOnThrow(object target, bool fail)
        {
            var handle = GCHandle.Alloc(target, GCHandleType.Pinned);
            if (fail)
            {
                throw new InvalidOperationException();
            }

            handle.Free();
        }

        public static void FreedInFinally(object target)
        {
            var handle = GCHandle.Alloc(target);
            try
            {
                Console.WriteLine(handle.Target);
            }
            finally
            {
                handle.Free();
            }
        }

        private static GCHandle s_lazy;

        public static void Lazy(object target)
        {
            if (!s_lazy.IsAllocated)
            {
                s_lazy = GCHandle.Alloc(target);
            }
        }
    }
}
