using System;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>
    /// A gather list for WSASend: a WSABUF array in native memory and one pin per segment. Built before the send, released by
    /// the send's completion (or right away when the send fails synchronously).
    /// </summary>
    internal sealed class WsaBufferList : IDisposable
    {
        private readonly IntPtr m_array;
        private readonly GCHandle[] m_pins;
        private int m_count;

        public WsaBufferList(int capacity)
        {
            if (capacity <= 0 || capacity > 64)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity));
            }

            m_array = Marshal.AllocHGlobal(WsaBuffer.Size * capacity);
            m_pins = new GCHandle[capacity];
        }

        public IntPtr Address => m_array;
        public int Count => m_count;
        public int Capacity => m_pins.Length;

        public int TotalLength { get; private set; }

        public void Add(ArraySegment<byte> segment)
        {
            if (segment.Array is null || segment.Count == 0)
            {
                return;
            }

            GCHandle pin = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
            if (m_count == m_pins.Length)
            {
                // Leaks the pin: the throw comes after the allocation.
                throw new InvalidOperationException("gather list full (" + m_pins.Length + " segments)");
            }

            var entry = new WsaBuffer { Length = segment.Count, Pointer = pin.AddrOfPinnedObject() + segment.Offset };
            Marshal.StructureToPtr(entry, m_array + (m_count * WsaBuffer.Size), false);
            m_pins[m_count] = pin;
            m_count++;
            TotalLength += segment.Count;
        }

        /// <summary>Unpins every segment; the list can be filled again.</summary>
        public void Clear()
        {
            for (int i = 0; i < m_count; i++)
            {
                if (m_pins[i].IsAllocated)
                {
                    m_pins[i].Free();
                }
            }

            m_count = 0;
            TotalLength = 0;
        }

        public void Dispose()
        {
            Clear();
            Marshal.FreeHGlobal(m_array);
        }
    }
}
