using System;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>
    /// An OVERLAPPED structure in unmanaged memory, followed by a Normal GCHandle to this object so that the completion port
    /// can find the managed side again from the address it dequeues. The native block must outlive the operation: while an
    /// operation is in progress Dispose only marks the overlapped, and the completion handler frees it when the kernel is
    /// done with it.
    /// </summary>
    internal sealed class Overlapped : IDisposable
    {
        // OVERLAPPED: Internal, InternalHigh, Offset/OffsetHigh (or Pointer), hEvent.
        private static readonly int OverlappedSize = (IntPtr.Size * 3) + 8;
        private static readonly int HandleOffset = OverlappedSize;
        private static readonly int BlockSize = OverlappedSize + IntPtr.Size;

        private readonly IntPtr m_address;
        private GCHandle m_handle;

        public Overlapped(AsyncSocket socket)
        {
            Socket = socket;
            m_address = Marshal.AllocHGlobal(BlockSize);
            Clear();
            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            Marshal.WriteIntPtr(m_address, HandleOffset, GCHandle.ToIntPtr(m_handle));
        }

        /// <summary>The OVERLAPPED's address, handed to WSARecv/WSASend/AcceptEx/ConnectEx.</summary>
        public IntPtr Address => m_address;

        public AsyncSocket Socket { get; }
        public OperationType OperationType { get; private set; }
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }

        /// <summary>Whatever the operation needs back at completion (the accepted socket, the pinned buffer).</summary>
        public object State { get; set; }

        /// <summary>Marks an operation in progress. Must run before the native call: the completion may arrive before it returns.</summary>
        public void StartOperation(OperationType operationType)
        {
            if (Disposed)
            {
                throw new ObjectDisposedException(nameof(Overlapped));
            }

            Clear();
            OperationType = operationType;
            InProgress = true;
        }

        /// <summary>Ends the operation: called by the completion handler, or by the caller when the call failed synchronously.</summary>
        public void Complete()
        {
            InProgress = false;
            State = null;
            if (Disposed)
            {
                Free();
            }
        }

        /// <summary>The completion handler: finds the overlapped behind a dequeued address, completes it, and reports its status.</summary>
        public static CompletionStatus CompleteOperation(in OverlappedEntry entry)
        {
            var overlapped = FromAddress(entry.Overlapped);
            int error = (int)Marshal.ReadIntPtr(entry.Overlapped, 0);
            var operation = overlapped.OperationType;
            var state = overlapped.State ?? overlapped.Socket;
            overlapped.Complete();
            return new CompletionStatus(state, operation, entry.BytesTransferred, error);
        }

        public static Overlapped FromAddress(IntPtr address)
        {
            var handle = GCHandle.FromIntPtr(Marshal.ReadIntPtr(address, HandleOffset));
            return (Overlapped)handle.Target;
        }

        public void Dispose()
        {
            Disposed = true;
            if (!InProgress)
            {
                Free();
            }
        }

        private void Clear()
        {
            for (int offset = 0; offset < OverlappedSize; offset += IntPtr.Size)
            {
                Marshal.WriteIntPtr(m_address, offset, IntPtr.Zero);
            }
        }

        private void Free()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
                Marshal.FreeHGlobal(m_address);
            }
        }
    }
}
