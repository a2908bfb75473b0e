using System;

namespace Dense.Sockets
{
    /// <summary>What an overlapped is currently used for: the completion port dispatches on it.</summary>
    public enum OperationType
    {
        None,
        Accept,
        Connect,
        Receive,
        Send,
        Disconnect,
        Signal,
    }

    /// <summary>One dequeued completion, handed to the socket that owns the overlapped.</summary>
    public readonly struct CompletionStatus
    {
        public CompletionStatus(object state, OperationType operation, int bytesTransferred, int error)
        {
            State = state;
            Operation = operation;
            BytesTransferred = bytesTransferred;
            Error = error;
        }

        public object State { get; }
        public OperationType Operation { get; }
        public int BytesTransferred { get; }

        /// <summary>The Win32 error of the operation (0 on success), read from the OVERLAPPED's Internal field.</summary>
        public int Error { get; }

        public bool Succeeded => Error == 0;

        public override string ToString() => Operation + ": " + BytesTransferred + " bytes, error " + Error;
    }
}
