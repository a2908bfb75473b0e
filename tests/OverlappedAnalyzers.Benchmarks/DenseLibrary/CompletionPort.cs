using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>
    /// An I/O completion port and the loop that drains it with GetQueuedCompletionStatusEx. Every dequeued OVERLAPPED is
    /// completed here (Overlapped.CompleteOperation), which is also where a socket disposed mid-operation finally frees it.
    /// </summary>
    public sealed unsafe class CompletionPort : IDisposable
    {
        private static readonly UIntPtr SignalKey = new UIntPtr(1);
        private static readonly UIntPtr SocketKey = new UIntPtr(2);

        private readonly IntPtr m_handle;
        private readonly ConcurrentQueue<object> m_signals = new ConcurrentQueue<object>();
        private readonly int m_batchSize;
        private OverlappedEntry* m_entries;
        private bool m_disposed;

        public CompletionPort(int batchSize = 64)
        {
            if (batchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize));
            }

            m_handle = Kernel32.CreateIoCompletionPort(Kernel32.INVALID_HANDLE_VALUE, IntPtr.Zero, UIntPtr.Zero, 1);
            if (m_handle == IntPtr.Zero)
            {
                throw SocketErrors.LastWin32();
            }

            m_batchSize = batchSize;
            m_entries = (OverlappedEntry*)NativeMemory.AllocZeroed((nuint)batchSize, (nuint)OverlappedEntry.Size);
        }

        public long Dequeued { get; private set; }

        /// <summary>Binds a socket to the port; completions that finish synchronously are not queued (the caller handles them).</summary>
        public void Associate(AsyncSocket socket)
        {
            if (Kernel32.CreateIoCompletionPort(socket.Handle, m_handle, SocketKey, 0) == IntPtr.Zero)
            {
                throw SocketErrors.LastWin32();
            }

            if (!Kernel32.SetFileCompletionNotificationModes(socket.Handle, Kernel32.FILE_SKIP_SET_EVENT_ON_HANDLE))
            {
                throw SocketErrors.LastWin32();
            }

            socket.CompletionPort = this;
        }

        /// <summary>Wakes the loop with a user state (a shutdown request, a timer tick).</summary>
        public void Signal(object state)
        {
            m_signals.Enqueue(state);
            if (!Kernel32.PostQueuedCompletionStatus(m_handle, 0, SignalKey, IntPtr.Zero))
            {
                throw SocketErrors.LastWin32();
            }
        }

        /// <summary>
        /// Waits up to <paramref name="timeout"/> ms and fills <paramref name="statuses"/> with what was dequeued; false on timeout.
        /// </summary>
        public bool GetMultipleQueuedCompletionStatus(int timeout, CompletionStatus[] statuses, out int removed)
        {
            ObjectDisposedException.ThrowIf(m_disposed, this);
            int capacity = Math.Min(statuses.Length, m_batchSize);
            if (!Kernel32.GetQueuedCompletionStatusEx(m_handle, (IntPtr)m_entries, capacity, out int count, timeout, false))
            {
                int error = Marshal.GetLastWin32Error();
                removed = 0;
                if (error == Kernel32.WAIT_TIMEOUT)
                {
                    return false;
                }

                if (error == Kernel32.ERROR_ABANDONED_WAIT_0)
                {
                    throw new ObjectDisposedException(nameof(CompletionPort));
                }

                throw new Win32Exception(error);
            }

            for (int i = 0; i < count; i++)
            {
                ref OverlappedEntry entry = ref m_entries[i];
                if (entry.CompletionKey == SignalKey)
                {
                    m_signals.TryDequeue(out object state);
                    statuses[i] = new CompletionStatus(state, OperationType.Signal, 0, 0);
                }
                else
                {
                    statuses[i] = Overlapped.CompleteOperation(entry);
                }
            }

            removed = count;
            Dequeued += count;
            return true;
        }

        /// <summary>The loop: dispatches each completion to its socket until cancelled or the port closes.</summary>
        public void Run(Action<CompletionStatus> onSignal, CancellationToken cancellationToken)
        {
            var statuses = new CompletionStatus[m_batchSize];
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!GetMultipleQueuedCompletionStatus(100, statuses, out int removed))
                {
                    continue;
                }

                for (int i = 0; i < removed; i++)
                {
                    var status = statuses[i];
                    statuses[i] = default;
                    if (status.Operation == OperationType.Signal)
                    {
                        onSignal?.Invoke(status);
                    }
                    else if (status.State is AsyncSocket socket)
                    {
                        socket.OnCompleted(status);
                    }
                    else if (status.State is AcceptRequest accept)
                    {
                        accept.Listener.OnAcceptCompleted(accept, status);
                    }
                }
            }
        }

        public void Dispose()
        {
            if (m_disposed)
            {
                return;
            }

            m_disposed = true;
            Kernel32.CloseHandle(m_handle);
            NativeMemory.Free(m_entries);
            m_entries = null;
        }
    }
}
