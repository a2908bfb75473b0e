using System;
using System.Runtime.InteropServices;
using OverlappedAnalyzers.ReferenceSocket;

namespace LeakySocket
{
    /// <summary>
    /// The incident's overlapped type: an OVERLAPPED block plus a Normal GCHandle to itself,
    /// an InProgress flag set by StartOperation and cleared by Complete, and a Dispose that frees
    /// only when nothing is in progress (else the completion handler frees it later).
    /// Correct on its own; what leaks is the callers that never call Complete.
    /// </summary>
    public sealed class LeakyOverlapped : IDisposable
    {
        public static readonly int NativeOverlappedSize = (3 * IntPtr.Size) + 8;
        private static readonly int s_handleOffset = NativeOverlappedSize;
        private static readonly int s_wsaBufferOffset = s_handleOffset + IntPtr.Size;
        public static readonly int BlockSize = s_wsaBufferOffset + (2 * IntPtr.Size);

        private readonly INativeSocketApi m_native;
        private IntPtr m_address;
        private GCHandle m_handle;

        public LeakyOverlapped(INativeSocketApi native, LeakySocket socket)
        {
            m_native = native;
            AsyncSocket = socket;
            m_address = Marshal.AllocHGlobal(BlockSize);
            LeakyResources.BlockAllocated();
            for (int offset = 0; offset + IntPtr.Size <= BlockSize; offset += IntPtr.Size)
            {
                Marshal.WriteIntPtr(m_address, offset, IntPtr.Zero);
            }

            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            LeakyResources.HandleAllocated();
            Marshal.WriteIntPtr(m_address, s_handleOffset, GCHandle.ToIntPtr(m_handle));
            native.OverlappedBlockAllocated(m_address, BlockSize);
        }

        public IntPtr Address => m_address;

        public IntPtr WsaBuffer => m_address + s_wsaBufferOffset;

        public LeakySocket AsyncSocket { get; }

        public OperationKind OperationType { get; private set; }

        public bool InProgress { get; private set; }

        public bool Disposed { get; private set; }

        public object? State { get; set; }

        public void SetWsaBuffer(IntPtr data, int count)
        {
            Marshal.WriteInt32(m_address, s_wsaBufferOffset, count);
            Marshal.WriteIntPtr(m_address, s_wsaBufferOffset + IntPtr.Size, data);
        }

        public void StartOperation(OperationKind operationType)
        {
            InProgress = true;
            OperationType = operationType;
        }

        public void Complete()
        {
            InProgress = false;
        }

        public void Dispose()
        {
            if (!InProgress)
            {
                Free();
            }

            Disposed = true;
        }

        /// <summary>The completion handler: finds the overlapped from the block and frees a disposed one.</summary>
        public static LeakyOverlapped CompleteOperation(IntPtr overlappedAddress)
        {
            IntPtr managed = Marshal.ReadIntPtr(overlappedAddress, s_handleOffset);
            var overlapped = (LeakyOverlapped)GCHandle.FromIntPtr(managed).Target!;
            overlapped.Complete();
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
                m_native.OverlappedBlockFreeing(m_address);
                Marshal.FreeHGlobal(m_address);
                m_address = IntPtr.Zero;
                LeakyResources.BlockFreed();
            }

            if (m_handle.IsAllocated)
            {
                m_handle.Free();
                LeakyResources.HandleFreed();
            }
        }
    }
}
