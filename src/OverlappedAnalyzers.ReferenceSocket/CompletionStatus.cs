using System;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>One dequeued completion packet, resolved to the socket that issued it.</summary>
    public readonly struct CompletionStatus
    {
        public CompletionStatus(OperationKind kind, IocpSocket? socket, IocpSocket? acceptSocket, int errorCode, int bytesTransferred, IntPtr completionKey, bool ownerDisposed)
        {
            Kind = kind;
            Socket = socket;
            AcceptSocket = acceptSocket;
            ErrorCode = errorCode;
            BytesTransferred = bytesTransferred;
            CompletionKey = completionKey;
            OwnerDisposed = ownerDisposed;
        }

        /// <summary>The operation that completed; <see cref="OperationKind.None"/> for a posted signal.</summary>
        public OperationKind Kind { get; }

        /// <summary>The socket that issued the operation (null for a posted signal).</summary>
        public IocpSocket? Socket { get; }

        /// <summary>For <see cref="OperationKind.Accept"/>: the socket passed to <see cref="IocpSocket.Accept"/>.</summary>
        public IocpSocket? AcceptSocket { get; }

        /// <summary>0 on success, else the Win32 error (995 aborted, 64 network name deleted, 1225 refused, …).</summary>
        public int ErrorCode { get; }

        public int BytesTransferred { get; }

        public IntPtr CompletionKey { get; }

        /// <summary>
        /// True when the socket had been disposed while the operation was pending: this
        /// completion only released the overlapped; there is nothing left to act on.
        /// </summary>
        public bool OwnerDisposed { get; }

        public bool IsSignal => Kind == OperationKind.None;

        public bool Succeeded => ErrorCode == 0;
    }
}
