using System;
using System.Runtime.InteropServices;

namespace AsyncIoLike.Windows
{
    internal enum OperationType
    {
        Send,
        Receive,
        Accept,
    }

    /// <summary>Upstream AsyncIO's shape: no Complete(); the completion handler clears InProgress itself.</summary>
    internal sealed class Overlapped : IDisposable
    {
        private const int Size = 40;
        private const int ManagedOffset = 32;

        private IntPtr m_address;
        private GCHandle m_handle;

        public Overlapped()
        {
            m_address = Marshal.AllocHGlobal(Size);
            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            Marshal.WriteIntPtr(m_address, ManagedOffset, GCHandle.ToIntPtr(m_handle));
        }

        public IntPtr Address => m_address;

        public OperationType OperationType { get; private set; }

        public bool InProgress { get; private set; }

        public bool Disposed { get; private set; }

        public byte[]? Buffer { get; private set; }

        public void StartOperation(OperationType operationType)
        {
            StartOperation(operationType, null);
        }

        public void StartOperation(OperationType operationType, byte[]? buffer)
        {
            InProgress = true;
            OperationType = operationType;
            Buffer = buffer;
        }

        public void Dispose()
        {
            if (!InProgress)
            {
                Free();
            }

            Disposed = true;
        }

        public static Overlapped CompleteOperation(IntPtr address)
        {
            var managed = Marshal.ReadIntPtr(address, ManagedOffset);
            var overlapped = (Overlapped)GCHandle.FromIntPtr(managed).Target!;
            overlapped.InProgress = false;
            if (overlapped.Disposed)
            {
                overlapped.Free();
            }

            return overlapped;
        }

        private void Free()
        {
            if (m_address != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(m_address);
                m_address = IntPtr.Zero;
            }

            if (m_handle.IsAllocated)
            {
                m_handle.Free();
            }
        }
    }
}
