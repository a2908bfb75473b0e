using System;
using System.Net.Sockets;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// The one narrow seam between the socket code and the operating system: the Winsock and
    /// completion-port calls an IOCP socket makes, with Win32 semantics. Two implementations:
    /// <see cref="Win32.Win32NativeSocketApi"/> (P/Invoke, Windows only) and
    /// <see cref="Simulation.SimulatedKernel"/> (an in-process kernel with the same semantics, for
    /// tests and benchmarks on any OS).
    /// </summary>
    /// <remarks>
    /// Conventions follow Win32: calls returning <see cref="SocketError"/> return
    /// <see cref="SocketError.Success"/> (0) or <see cref="SocketError.SocketError"/> (-1); calls
    /// returning <see cref="bool"/> return false on failure. On failure (and on
    /// <see cref="GetQueuedCompletionStatus"/> dequeuing a failed I/O) the error is read with
    /// <see cref="GetLastError"/> on the same thread, before any other call. An overlapped call
    /// that fails with an error other than <see cref="SocketError.IOPending"/> (997) never reached
    /// the driver: no completion packet will be queued for it.
    /// </remarks>
    public interface INativeSocketApi
    {
        /// <summary>CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0): a new port, or <see cref="IntPtr.Zero"/>.</summary>
        IntPtr CreateCompletionPort();

        /// <summary>CreateIoCompletionPort(handle, port, key, 0): completions of I/O on <paramref name="handle"/> are queued to <paramref name="port"/>.</summary>
        bool AssociateWithCompletionPort(IntPtr handle, IntPtr port, IntPtr completionKey);

        /// <summary>
        /// GetQueuedCompletionStatus. True: a successful packet was dequeued. False with a non-zero
        /// <paramref name="overlapped"/>: a failed I/O was dequeued (its error via <see cref="GetLastError"/>).
        /// False with a zero <paramref name="overlapped"/>: nothing was dequeued (timeout: 258).
        /// </summary>
        bool GetQueuedCompletionStatus(IntPtr port, out int bytesTransferred, out IntPtr completionKey, out IntPtr overlapped, int timeoutMilliseconds);

        /// <summary>PostQueuedCompletionStatus.</summary>
        bool PostQueuedCompletionStatus(IntPtr port, int bytesTransferred, IntPtr completionKey, IntPtr overlapped);

        /// <summary>CloseHandle on a completion port.</summary>
        bool CloseCompletionPort(IntPtr port);

        /// <summary>WSASocketW(..., WSA_FLAG_OVERLAPPED): a new socket handle, or INVALID_SOCKET (-1).</summary>
        IntPtr CreateSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType);

        /// <summary>bind. <paramref name="address"/> points at a sockaddr of <paramref name="addressLength"/> bytes.</summary>
        SocketError Bind(IntPtr socket, IntPtr address, int addressLength);

        /// <summary>listen.</summary>
        SocketError Listen(IntPtr socket, int backlog);

        /// <summary>AcceptEx. <paramref name="outputBuffer"/> and <paramref name="overlapped"/> must stay valid until the completion.</summary>
        bool AcceptEx(IntPtr listenSocket, IntPtr acceptSocket, IntPtr outputBuffer, int receiveDataLength, int localAddressLength, int remoteAddressLength, out int bytesReceived, IntPtr overlapped);

        /// <summary>ConnectEx on a bound socket. The sockaddr is copied by the call; <paramref name="overlapped"/> must stay valid until the completion.</summary>
        bool ConnectEx(IntPtr socket, IntPtr address, int addressLength, IntPtr sendBuffer, int sendLength, out int bytesSent, IntPtr overlapped);

        /// <summary>WSASend. The WSABUF array is copied by the call; the data and <paramref name="overlapped"/> must stay valid until the completion.</summary>
        SocketError Send(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, SocketFlags flags, IntPtr overlapped);

        /// <summary>WSARecv. The WSABUF array is copied by the call; the data and <paramref name="overlapped"/> must stay valid until the completion.</summary>
        SocketError Receive(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, ref SocketFlags flags, IntPtr overlapped);

        /// <summary>CancelIoEx: every pending I/O on <paramref name="handle"/> (or only <paramref name="overlapped"/>) completes with ERROR_OPERATION_ABORTED (995).</summary>
        bool CancelIoEx(IntPtr handle, IntPtr overlapped);

        /// <summary>closesocket: pending I/O on the socket completes with ERROR_OPERATION_ABORTED (995).</summary>
        SocketError CloseSocket(IntPtr socket);

        /// <summary>The calling thread's last Win32/Winsock error (WSAGetLastError / GetLastError).</summary>
        SocketError GetLastError();

        /// <summary>
        /// Tells the native layer that an OVERLAPPED block of <paramref name="size"/> bytes now exists at
        /// <paramref name="overlapped"/>. Win32 needs no notice (no-op); the simulated kernel tracks
        /// live blocks so that a completion written into a freed block is caught as a use-after-free.
        /// </summary>
        void OverlappedBlockAllocated(IntPtr overlapped, int size);

        /// <summary>Tells the native layer that the OVERLAPPED block at <paramref name="overlapped"/> is about to be freed. See <see cref="OverlappedBlockAllocated"/>.</summary>
        void OverlappedBlockFreeing(IntPtr overlapped);
    }
}
