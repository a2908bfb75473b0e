using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// One OVERLAPPED block in native memory, owned by this object, plus a GCHandle to this
    /// object stored behind the block so that a completion (which only carries the block's
    /// address) finds its managed owner again.
    /// </summary>
    /// <remarks>
    /// Protocol, enforced by <see cref="OverlappedState"/> transitions made with compare-exchange:
    /// <list type="number">
    /// <item><see cref="StartOperation"/> runs BEFORE the native call that receives <see cref="Address"/>:
    /// a completion can be dequeued on a port thread the moment the kernel has the address.</item>
    /// <item>Exactly one <see cref="Complete"/> follows every start: from the completion port when
    /// the call succeeded or returned IO pending (997), or from the caller itself when the call
    /// failed synchronously with any other error, because then no completion will ever arrive.</item>
    /// <item><see cref="Dispose"/> frees at once when nothing is in flight; otherwise it only marks the
    /// object, and the pending <see cref="Complete"/> frees it: the kernel may write into the block
    /// (and the pinned buffer) until that completion.</item>
    /// </list>
    /// There is no finalizer on purpose: the self GCHandle keeps this object reachable until
    /// <see cref="Dispose"/> and the last completion have both happened, which is exactly as long
    /// as the kernel may hold the block.
    /// </remarks>
    public sealed class SocketOverlapped : IDisposable
    {
        private const int Idle = (int)OverlappedState.Idle;
        private const int InProgress = (int)OverlappedState.InProgress;
        private const int Completed = (int)OverlappedState.Completed;
        private const int DisposedWhilePending = (int)OverlappedState.DisposedWhilePending;
        private const int Freed = (int)OverlappedState.Freed;

        /// <summary>sizeof(OVERLAPPED): Internal, InternalHigh, Offset, OffsetHigh, hEvent.</summary>
        public static readonly int NativeOverlappedSize = (3 * IntPtr.Size) + 8;

        /// <summary>Where the GCHandle to the managed object is stored, right behind the OVERLAPPED.</summary>
        private static readonly int s_handleOffset = NativeOverlappedSize;

        /// <summary>A WSABUF { ULONG len; CHAR* buf; } describing this operation's buffer.</summary>
        private static readonly int s_wsaBufferOffset = s_handleOffset + IntPtr.Size;

        /// <summary>The whole native block.</summary>
        public static readonly int BlockSize = s_wsaBufferOffset + (2 * IntPtr.Size);

        private readonly INativeSocketApi m_native;
        private IntPtr m_address;
        private GCHandle m_selfHandle;
        private PinnedBuffer? m_pinnedBuffer;
        private int m_state;

        public SocketOverlapped(INativeSocketApi native, object? owner)
        {
            m_native = native ?? throw new ArgumentNullException(nameof(native));
            Owner = owner;

            m_address = Marshal.AllocHGlobal(BlockSize);
            LiveResources.OverlappedBlockAllocated();
            for (int offset = 0; offset + IntPtr.Size <= BlockSize; offset += IntPtr.Size)
            {
                Marshal.WriteIntPtr(m_address, offset, IntPtr.Zero);
            }

            m_selfHandle = GCHandle.Alloc(this, GCHandleType.Normal);
            LiveResources.GCHandleAllocated();
            Marshal.WriteIntPtr(m_address, s_handleOffset, GCHandle.ToIntPtr(m_selfHandle));

            m_native.OverlappedBlockAllocated(m_address, BlockSize);
        }

        /// <summary>The OVERLAPPED* to hand to the native call.</summary>
        public IntPtr Address => m_address;

        /// <summary>The WSABUF* describing the buffer set by <see cref="SetBuffer"/>.</summary>
        public IntPtr WsaBuffer => m_address + s_wsaBufferOffset;

        public OverlappedState State => (OverlappedState)Volatile.Read(ref m_state);

        /// <summary>The operation started last.</summary>
        public OperationKind Kind { get; private set; }

        /// <summary>The object that owns this overlapped (the socket); reported with completions.</summary>
        public object? Owner { get; }

        /// <summary>Per-operation context (the accept socket of an AcceptEx); cleared by <see cref="Complete"/>.</summary>
        public object? Context { get; private set; }

        /// <summary>
        /// Pins <paramref name="buffer"/> for the next operation (releasing the previous pin first)
        /// and describes <c>[offset, offset + count)</c> in this block's WSABUF.
        /// Returns the address of the first byte. Only legal while no operation is in flight.
        /// </summary>
        public IntPtr SetBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            int state = Volatile.Read(ref m_state);
            if (state != Idle && state != Completed)
            {
                // Re-pinning while the kernel may write into the old buffer would be a use-after-free.
                throw state == InProgress
                    ? new InvalidOperationException("An operation is in progress on this overlapped.")
                    : new ObjectDisposedException(nameof(SocketOverlapped));
            }

            if (m_pinnedBuffer == null)
            {
                m_pinnedBuffer = new PinnedBuffer(buffer);
            }
            else
            {
                m_pinnedBuffer.Switch(buffer);
            }

            IntPtr data = m_pinnedBuffer.Address + offset;
            Marshal.WriteInt32(m_address, s_wsaBufferOffset, count);
            Marshal.WriteIntPtr(m_address, s_wsaBufferOffset + IntPtr.Size, data);
            return data;
        }

        /// <summary>
        /// Marks an operation in progress. Call it before the native call that receives
        /// <see cref="Address"/>, never after: the completion may be dequeued before the call returns.
        /// </summary>
        public void StartOperation(OperationKind kind, object? context = null)
        {
            while (true)
            {
                int state = Volatile.Read(ref m_state);
                if (state == InProgress)
                {
                    throw new InvalidOperationException("An operation is already in progress on this overlapped.");
                }

                if (state != Idle && state != Completed)
                {
                    throw new ObjectDisposedException(nameof(SocketOverlapped));
                }

                if (Interlocked.CompareExchange(ref m_state, InProgress, state) == state)
                {
                    break;
                }
            }

            Kind = kind;
            Context = context;

            // The kernel requires Offset/OffsetHigh/hEvent zeroed; Internal/InternalHigh are its own.
            Marshal.WriteIntPtr(m_address, 0, IntPtr.Zero);
            Marshal.WriteIntPtr(m_address, IntPtr.Size, IntPtr.Zero);
            Marshal.WriteInt64(m_address, 2 * IntPtr.Size, 0L);
            Marshal.WriteIntPtr(m_address, (2 * IntPtr.Size) + 8, IntPtr.Zero);
        }

        /// <summary>
        /// Ends the operation in flight: called by the completion port for every dequeued
        /// completion, and by the issuing code when the native call failed synchronously (no
        /// completion will come). Frees the block when the owner disposed it meanwhile.
        /// </summary>
        public void Complete() => CompleteCore();

        /// <summary>
        /// Frees the block, handle and pin now if no operation is in flight; otherwise defers the
        /// free to the one <see cref="Complete"/> still to come.
        /// </summary>
        public void Dispose()
        {
            while (true)
            {
                int state = Volatile.Read(ref m_state);
                if (state == Idle || state == Completed)
                {
                    if (Interlocked.CompareExchange(ref m_state, Freed, state) == state)
                    {
                        Free();
                        return;
                    }
                }
                else if (state == InProgress)
                {
                    if (Interlocked.CompareExchange(ref m_state, DisposedWhilePending, InProgress) == InProgress)
                    {
                        return;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>Finds the managed overlapped that owns the OVERLAPPED block at <paramref name="address"/>.</summary>
        internal static SocketOverlapped FromAddress(IntPtr address)
        {
            IntPtr handle = Marshal.ReadIntPtr(address, s_handleOffset);
            return (SocketOverlapped)GCHandle.FromIntPtr(handle).Target!;
        }

        /// <summary>Completes; returns true when this completion freed a disposed overlapped.</summary>
        internal bool CompleteCore()
        {
            while (true)
            {
                int state = Volatile.Read(ref m_state);
                if (state == InProgress)
                {
                    Context = null;
                    if (Interlocked.CompareExchange(ref m_state, Completed, InProgress) == InProgress)
                    {
                        return false;
                    }
                }
                else if (state == DisposedWhilePending)
                {
                    if (Interlocked.CompareExchange(ref m_state, Freed, DisposedWhilePending) == DisposedWhilePending)
                    {
                        Free();
                        return true;
                    }
                }
                else
                {
                    throw new InvalidOperationException("Complete was called but no operation is in progress (state " + (OverlappedState)state + ").");
                }
            }
        }

        // Runs exactly once, on the transition to Freed: nothing can write into the block any more.
        private void Free()
        {
            Context = null;
            if (m_pinnedBuffer != null)
            {
                m_pinnedBuffer.Dispose();
                m_pinnedBuffer = null;
            }

            if (m_address != IntPtr.Zero)
            {
                m_native.OverlappedBlockFreeing(m_address);
                Marshal.FreeHGlobal(m_address);
                m_address = IntPtr.Zero;
                LiveResources.OverlappedBlockFreed();
            }

            if (m_selfHandle.IsAllocated)
            {
                m_selfHandle.Free();
                LiveResources.GCHandleFreed();
            }
        }
    }
}
