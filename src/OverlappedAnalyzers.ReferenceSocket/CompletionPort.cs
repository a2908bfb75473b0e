using System;
using System.ComponentModel;
using System.Threading;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// An I/O completion port. Every dequeued packet that carries an OVERLAPPED is resolved to
    /// its <see cref="SocketOverlapped"/> and completed, which is the only place (besides a
    /// synchronous failure) where an operation ends and where a disposed overlapped is freed.
    /// </summary>
    public sealed class CompletionPort : IDisposable
    {
        private const int WaitTimeout = 258;

        private readonly INativeSocketApi m_native;
        private IntPtr m_handle;
        private int m_disposed;

        public CompletionPort(INativeSocketApi native)
        {
            m_native = native ?? throw new ArgumentNullException(nameof(native));
            m_handle = native.CreateCompletionPort();
            if (m_handle == IntPtr.Zero)
            {
                throw new Win32Exception((int)native.GetLastError());
            }
        }

        public IntPtr Handle => m_handle;

        internal INativeSocketApi Native => m_native;

        /// <summary>
        /// Dequeues one packet (GetQueuedCompletionStatus) and completes its overlapped. Returns
        /// false when nothing arrived within <paramref name="timeoutMilliseconds"/> (-1: infinite).
        /// </summary>
        public bool TryDequeue(int timeoutMilliseconds, out CompletionStatus status)
        {
            bool dequeued = m_native.GetQueuedCompletionStatus(m_handle, out int bytesTransferred, out IntPtr completionKey, out IntPtr overlappedAddress, timeoutMilliseconds);
            int errorCode = dequeued ? 0 : (int)m_native.GetLastError();

            if (overlappedAddress == IntPtr.Zero)
            {
                if (!dequeued)
                {
                    // Nothing was dequeued: a timeout, or the port itself failed.
                    if (errorCode != WaitTimeout)
                    {
                        throw new Win32Exception(errorCode);
                    }

                    status = default;
                    return false;
                }

                status = new CompletionStatus(OperationKind.None, null, null, 0, bytesTransferred, completionKey, ownerDisposed: false);
                return true;
            }

            // Read everything this completion reports before Complete: that may free the block.
            SocketOverlapped overlapped = SocketOverlapped.FromAddress(overlappedAddress);
            OperationKind kind = overlapped.Kind;
            var socket = overlapped.Owner as IocpSocket;
            var acceptSocket = overlapped.Context as IocpSocket;
            bool freed = overlapped.CompleteCore();
            status = new CompletionStatus(kind, socket, acceptSocket, errorCode, bytesTransferred, completionKey, freed);
            return true;
        }

        /// <summary>Posts a signal packet (no OVERLAPPED), e.g. to stop a <see cref="Run"/> loop.</summary>
        public void Post(IntPtr completionKey, int bytesTransferred = 0)
        {
            if (!m_native.PostQueuedCompletionStatus(m_handle, bytesTransferred, completionKey, IntPtr.Zero))
            {
                throw new Win32Exception((int)m_native.GetLastError());
            }
        }

        /// <summary>
        /// The dequeue loop: hands every packet to <paramref name="handler"/> until it returns false
        /// or <paramref name="cancellationToken"/> is cancelled (checked every <paramref name="pollMilliseconds"/>).
        /// </summary>
        public void Run(Func<CompletionStatus, bool> handler, CancellationToken cancellationToken, int pollMilliseconds = 50)
        {
            if (handler == null)
            {
                throw new ArgumentNullException(nameof(handler));
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                if (TryDequeue(pollMilliseconds, out CompletionStatus status) && !handler(status))
                {
                    return;
                }
            }
        }

        /// <summary>Dequeues (and completes) every packet already queued; returns how many.</summary>
        public int Drain()
        {
            int count = 0;
            while (TryDequeue(0, out _))
            {
                count++;
            }

            return count;
        }

        /// <summary>
        /// Drains what is queued (so deferred frees run) and closes the port. Dispose the sockets
        /// first: their cancelled operations complete into this port.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref m_disposed, 1) != 0)
            {
                return;
            }

            Drain();
            m_native.CloseCompletionPort(m_handle);
            m_handle = IntPtr.Zero;
        }
    }
}
