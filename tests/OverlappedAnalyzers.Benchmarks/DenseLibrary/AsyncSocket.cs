using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using System.Threading;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>The connection's life, as the socket's completion handlers see it.</summary>
    public enum SocketState
    {
        Created,
        Bound,
        Connecting,
        Connected,
        Disconnecting,
        Closed,
    }

    /// <summary>A length-prefixed frame on its way out: its WSABUF pair lives in native memory until the send completes.</summary>
    internal sealed class FrameSend : IDisposable
    {
        public FrameSend(IntPtr buffers, PinnedBuffer payload, int length)
        {
            Buffers = buffers;
            Payload = payload;
            Length = length;
        }

        public IntPtr Buffers { get; private set; }
        public PinnedBuffer Payload { get; }
        public int Length { get; }

        public void Dispose()
        {
            Payload.Dispose();
            if (Buffers != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(Buffers);
                Buffers = IntPtr.Zero;
            }
        }
    }

    /// <summary>
    /// A TCP socket driven by an I/O completion port: one receive and one send outstanding at most, each with its own
    /// Overlapped; pinned managed buffers for byte-array I/O, pooled native blocks for zero-copy receives, and a gather list for
    /// queued sends. Completions arrive on the port's thread through <see cref="OnCompleted"/>.
    /// </summary>
    public sealed class AsyncSocket : IDisposable
    {
        private const int MaxQueuedSends = 32;
        private const int FrameHeaderSize = 4;
        private const int MaxFrameLength = 16 * 1024 * 1024;

        private readonly object m_gate = new object();
        private readonly Overlapped m_inOverlapped;
        private readonly Overlapped m_outOverlapped;
        private readonly IntPtr m_receiveBuffers;
        private readonly IntPtr m_sendBuffers;
        private readonly Queue<ArraySegment<byte>> m_sendQueue = new Queue<ArraySegment<byte>>();
        private readonly WsaBufferList m_gather = new WsaBufferList(MaxQueuedSends);
        private PinnedBuffer m_receivePin;
        private PinnedBuffer m_sendPin;
        private NativeBufferPool m_pool;
        private IntPtr m_pooledBlock;
        private NativeSocketAddress m_connectAddress;
        private readonly IntPtr m_frameHeader;
        private byte[] m_frameBuffer = new byte[256];
        private int m_frameFill;
        private IntPtr m_handle;
        private SocketState m_state;
        private long m_bytesReceived;
        private long m_bytesSent;
        private int m_disposed;

        private AsyncSocket(IntPtr handle, AddressFamily family)
        {
            m_handle = handle;
            AddressFamily = family;
            Extensions = ExtensionFunctions.For(handle);
            m_inOverlapped = new Overlapped(this);
            m_outOverlapped = new Overlapped(this);
            m_receiveBuffers = Marshal.AllocHGlobal(WsaBuffer.Size);
            m_sendBuffers = Marshal.AllocHGlobal(WsaBuffer.Size);
            m_frameHeader = Marshal.AllocHGlobal(FrameHeaderSize);
            m_state = SocketState.Created;
        }

        /// <summary>Raised on the port thread with the bytes a receive delivered (zero: the peer closed).</summary>
        public event Action<AsyncSocket, ArraySegment<byte>> Received;

        public event Action<AsyncSocket, long> Sent;

        public event Action<AsyncSocket, SocketError> Faulted;

        public event Action<AsyncSocket> Disconnected;

        /// <summary>Raised for every complete length-prefixed frame the receives have assembled.</summary>
        public event Action<AsyncSocket, byte[]> FrameReceived;

        public IntPtr Handle => m_handle;
        public AddressFamily AddressFamily { get; }
        internal ExtensionFunctions Extensions { get; }
        public CompletionPort CompletionPort { get; internal set; }
        public SocketState State => m_state;
        public long BytesReceived => Interlocked.Read(ref m_bytesReceived);
        public long BytesSent => Interlocked.Read(ref m_bytesSent);
        public bool IsDisposed => Volatile.Read(ref m_disposed) != 0;

        public IPEndPoint LocalEndPoint => SocketAddressEncoder.Query(m_handle, remote: false);
        public IPEndPoint RemoteEndPoint => SocketAddressEncoder.Query(m_handle, remote: true);

        public bool NoDelay
        {
            get => SocketOptions.GetInt(m_handle, WinSock.IPPROTO_TCP, WinSock.TCP_NODELAY) != 0;
            set => SocketOptions.SetNoDelay(m_handle, value);
        }

        public int ReceiveBufferSize
        {
            get => SocketOptions.GetInt(m_handle, WinSock.SOL_SOCKET, WinSock.SO_RCVBUF);
            set => SocketOptions.SetInt(m_handle, WinSock.SOL_SOCKET, WinSock.SO_RCVBUF, value);
        }

        public int SendBufferSize
        {
            get => SocketOptions.GetInt(m_handle, WinSock.SOL_SOCKET, WinSock.SO_SNDBUF);
            set => SocketOptions.SetInt(m_handle, WinSock.SOL_SOCKET, WinSock.SO_SNDBUF, value);
        }

        public static AsyncSocket Create(AddressFamily family)
        {
            IntPtr handle = WinSock.WSASocketW(family, SocketType.Stream, ProtocolType.Tcp, IntPtr.Zero, 0, WinSock.WSA_FLAG_OVERLAPPED | WinSock.WSA_FLAG_NO_HANDLE_INHERIT);
            if (handle == WinSock.INVALID_SOCKET)
            {
                throw SocketErrors.Last();
            }

            try
            {
                return new AsyncSocket(handle, family);
            }
            catch
            {
                WinSock.closesocket(handle);
                throw;
            }
        }

        /// <summary>Uses <paramref name="pool"/> for <see cref="ReceiveNative"/>; the socket returns its block on completion.</summary>
        public void UsePool(NativeBufferPool pool)
        {
            m_pool = pool ?? throw new ArgumentNullException(nameof(pool));
        }

        public void Bind(IPEndPoint endPoint)
        {
            using var address = new NativeSocketAddress(endPoint);
            SocketErrors.ThrowIfFailed(WinSock.bind(m_handle, address.Address, address.Length));
            m_state = SocketState.Bound;
        }

        public void SetKeepAlive(TimeSpan time, TimeSpan interval) => SocketOptions.SetKeepAlive(m_handle, time, interval);

        public void SetLinger(bool enabled, int seconds) => SocketOptions.SetLinger(m_handle, enabled, seconds);

        /// <summary>Connects a bound socket with ConnectEx. The address block lives until the completion.</summary>
        public void Connect(IPEndPoint remote)
        {
            if (m_state != SocketState.Bound)
            {
                throw new InvalidOperationException("ConnectEx needs a bound socket, state is " + m_state);
            }

            m_connectAddress?.Dispose();
            m_connectAddress = new NativeSocketAddress(remote);
            m_state = SocketState.Connecting;
            m_outOverlapped.StartOperation(OperationType.Connect);
            if (!Extensions.ConnectEx(m_handle, m_connectAddress.Address, m_connectAddress.Length, IntPtr.Zero, 0, out _, m_outOverlapped.Address))
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    m_outOverlapped.Complete();
                    m_state = SocketState.Bound;
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>Receives into <paramref name="buffer"/>, pinned until the completion.</summary>
        public void Receive(byte[] buffer, int offset, int count)
        {
            ValidateSegment(buffer, offset, count);
            if (m_receivePin is null)
            {
                m_receivePin = new PinnedBuffer(buffer);
            }
            else
            {
                m_receivePin.Switch(buffer);
            }

            WriteBuffer(m_receiveBuffers, m_receivePin.AddressOf(offset), count);
            m_inOverlapped.StartOperation(OperationType.Receive);
            m_inOverlapped.State = new ArraySegment<byte>(buffer, offset, count);
            SocketFlags flags = SocketFlags.None;
            int result = WinSock.WSARecv(m_handle, m_receiveBuffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    // The blog's fix for the leak, with its own bug: it completes the send side, not the receive it started.
                    m_outOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>Receives into a pooled native block: no pinning, no copy until the data is consumed.</summary>
        public void ReceiveNative()
        {
            if (m_pool is null)
            {
                throw new InvalidOperationException("no pool: call UsePool first");
            }

            m_pooledBlock = m_pool.Rent();
            WriteBuffer(m_receiveBuffers, m_pooledBlock, m_pool.BlockSize);
            m_inOverlapped.StartOperation(OperationType.Receive);
            SocketFlags flags = SocketFlags.None;
            int result = WinSock.WSARecv(m_handle, m_receiveBuffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                int error = Marshal.GetLastWin32Error();
                switch (error)
                {
                    case WinSock.WSA_IO_PENDING:
                        return;
                    case WinSock.WSAECONNRESET:
                        m_inOverlapped.Complete();
                        ReturnPooledBlock();
                        OnDisconnected();
                        return;
                    default:
                        m_inOverlapped.Complete();
                        ReturnPooledBlock();
                        throw new SocketException(error);
                }
            }
        }

        /// <summary>Sends <paramref name="buffer"/>, pinned until the completion. One send in flight; queue the rest.</summary>
        public void Send(byte[] buffer, int offset, int count)
        {
            ValidateSegment(buffer, offset, count);
            if (m_sendPin is null)
            {
                m_sendPin = new PinnedBuffer(buffer);
            }
            else
            {
                m_sendPin.Switch(buffer);
            }

            WriteBuffer(m_sendBuffers, m_sendPin.AddressOf(offset), count);
            m_outOverlapped.StartOperation(OperationType.Send);
            int result = WinSock.WSASend(m_handle, m_sendBuffers, 1, out _, SocketFlags.None, m_outOverlapped.Address, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    // The incident's leak: no Complete() on this path, so Dispose defers forever.
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>Queues a segment; it goes out with the next gather send (immediately when no send is in flight).</summary>
        public void Enqueue(ArraySegment<byte> segment)
        {
            lock (m_gate)
            {
                if (m_sendQueue.Count == MaxQueuedSends)
                {
                    throw new InvalidOperationException("send queue full");
                }

                m_sendQueue.Enqueue(segment);
                if (!m_outOverlapped.InProgress)
                {
                    FlushLocked();
                }
            }
        }

        /// <summary>Sends every queued segment with one WSASend over a gather list.</summary>
        private void FlushLocked()
        {
            if (m_sendQueue.Count == 0)
            {
                return;
            }

            m_gather.Clear();
            while (m_sendQueue.Count > 0 && m_gather.Count < m_gather.Capacity)
            {
                m_gather.Add(m_sendQueue.Dequeue());
            }

            m_outOverlapped.StartOperation(OperationType.Send);
            m_outOverlapped.State = m_gather;
            int result = WinSock.WSASend(m_handle, m_gather.Address, m_gather.Count, out _, SocketFlags.None, m_outOverlapped.Address, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    m_outOverlapped.Complete();
                    m_gather.Clear();
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>
        /// Sends <paramref name="payload"/> as one frame: a 4-byte big-endian length and the payload, gathered by one WSASend
        /// over a two-entry WSABUF array. The array and the pin belong to the send until its completion.
        /// </summary>
        public void SendFrame(byte[] payload)
        {
            if (payload is null || payload.Length > MaxFrameLength)
            {
                throw new ArgumentOutOfRangeException(nameof(payload));
            }

            Marshal.WriteInt32(m_frameHeader, IPAddress.HostToNetworkOrder(payload.Length));
            IntPtr buffers = Marshal.AllocHGlobal(2 * WsaBuffer.Size);
            var pin = new PinnedBuffer(payload);
            Marshal.StructureToPtr(new WsaBuffer { Length = FrameHeaderSize, Pointer = m_frameHeader }, buffers, false);
            Marshal.StructureToPtr(new WsaBuffer { Length = payload.Length, Pointer = pin.AddressOf(0) }, buffers + WsaBuffer.Size, false);
            var frame = new FrameSend(buffers, pin, FrameHeaderSize + payload.Length);
            m_outOverlapped.StartOperation(OperationType.Send);
            m_outOverlapped.State = frame;
            int result = WinSock.WSASend(m_handle, frame.Buffers, 2, out _, SocketFlags.None, m_outOverlapped.Address, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != WinSock.WSA_IO_PENDING)
                {
                    m_outOverlapped.Complete();
                    frame.Dispose();
                    throw new SocketException(error);
                }
            }
        }

        /// <summary>Streams a whole file with TransmitFile; the kernel reads it, nothing is copied through managed memory.</summary>
        public void SendFile(SafeFileHandle file)
        {
            if (file is null || file.IsInvalid)
            {
                throw new ArgumentException("invalid file handle", nameof(file));
            }

            m_outOverlapped.StartOperation(OperationType.Send);
            if (!Extensions.TransmitFile(m_handle, file.DangerousGetHandle(), 0, 0, m_outOverlapped.Address, IntPtr.Zero, 0))
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.IOPending)
                {
                    m_outOverlapped.Complete();
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>Graceful close with DisconnectEx; the socket may be reused for AcceptEx/ConnectEx afterwards.</summary>
        public void Disconnect(bool reuse)
        {
            if (m_state != SocketState.Connected)
            {
                return;
            }

            m_state = SocketState.Disconnecting;
            m_outOverlapped.StartOperation(OperationType.Disconnect);
            const int TF_REUSE_SOCKET = 0x02;
            if (!Extensions.DisconnectEx(m_handle, m_outOverlapped.Address, reuse ? TF_REUSE_SOCKET : 0, 0))
            {
                int error = Marshal.GetLastWin32Error();
                if (error == WinSock.WSA_IO_PENDING)
                {
                    return;
                }

                m_outOverlapped.Complete();
                if (SocketErrors.IsDisconnect(error))
                {
                    OnDisconnected();
                    return;
                }

                throw new SocketException(error);
            }
        }

        public void Shutdown(SocketShutdown how)
        {
            if (WinSock.shutdown(m_handle, how) == WinSock.SOCKET_ERROR)
            {
                var error = WinSock.WSAGetLastError();
                if (error != SocketError.NotConnected)
                {
                    throw new SocketException((int)error);
                }
            }
        }

        /// <summary>Cancels whatever is in flight; the completions arrive with ERROR_OPERATION_ABORTED.</summary>
        public void CancelPending()
        {
            if (m_inOverlapped.InProgress)
            {
                Kernel32.CancelIoEx(m_handle, m_inOverlapped.Address);
            }

            if (m_outOverlapped.InProgress)
            {
                Kernel32.CancelIoEx(m_handle, m_outOverlapped.Address);
            }
        }

        /// <summary>Waits for the outstanding receive without the port (used by synchronous callers and tests).</summary>
        public int WaitReceive()
        {
            if (!m_inOverlapped.InProgress)
            {
                return 0;
            }

            if (!WinSock.WSAGetOverlappedResult(m_handle, m_inOverlapped.Address, out int transferred, true, out _))
            {
                m_inOverlapped.Complete();
                throw SocketErrors.Last();
            }

            m_inOverlapped.Complete();
            return transferred;
        }

        /// <summary>The port thread's dispatch for this socket's completions.</summary>
        internal void OnCompleted(CompletionStatus status)
        {
            if (status.Error != 0)
            {
                OnFailed(status);
                return;
            }

            switch (status.Operation)
            {
                case OperationType.Connect:
                    SocketOptions.UpdateConnectContext(m_handle);
                    m_connectAddress?.Dispose();
                    m_connectAddress = null;
                    m_state = SocketState.Connected;
                    break;

                case OperationType.Receive:
                    OnReceived(status);
                    break;

                case OperationType.Send:
                    (status.State as FrameSend)?.Dispose();
                    Interlocked.Add(ref m_bytesSent, status.BytesTransferred);
                    Sent?.Invoke(this, status.BytesTransferred);
                    lock (m_gate)
                    {
                        m_gather.Clear();
                        FlushLocked();
                    }

                    break;

                case OperationType.Disconnect:
                    OnDisconnected();
                    break;
            }
        }

        private void OnReceived(CompletionStatus status)
        {
            Interlocked.Add(ref m_bytesReceived, status.BytesTransferred);
            if (status.BytesTransferred == 0)
            {
                ReturnPooledBlock();
                OnDisconnected();
                return;
            }

            if (status.State is ArraySegment<byte> segment)
            {
                var delivered = new ArraySegment<byte>(segment.Array, segment.Offset, status.BytesTransferred);
                AppendFrameBytes(delivered);
                Received?.Invoke(this, delivered);
                return;
            }

            // A pooled receive: copy out, then give the block back before the handler can post the next receive.
            var copy = new byte[status.BytesTransferred];
            Marshal.Copy(m_pooledBlock, copy, 0, copy.Length);
            ReturnPooledBlock();
            AppendFrameBytes(new ArraySegment<byte>(copy));
            Received?.Invoke(this, new ArraySegment<byte>(copy));
        }

        /// <summary>Accumulates received bytes and raises <see cref="FrameReceived"/> for each complete frame.</summary>
        private void AppendFrameBytes(ArraySegment<byte> bytes)
        {
            if (FrameReceived is null)
            {
                return;
            }

            EnsureFrameCapacity(m_frameFill + bytes.Count);
            Buffer.BlockCopy(bytes.Array, bytes.Offset, m_frameBuffer, m_frameFill, bytes.Count);
            m_frameFill += bytes.Count;
            int consumed = 0;
            while (m_frameFill - consumed >= FrameHeaderSize)
            {
                int length = (m_frameBuffer[consumed] << 24) | (m_frameBuffer[consumed + 1] << 16) | (m_frameBuffer[consumed + 2] << 8) | m_frameBuffer[consumed + 3];
                if (length < 0 || length > MaxFrameLength)
                {
                    m_frameFill = 0;
                    Faulted?.Invoke(this, SocketError.MessageSize);
                    return;
                }

                if (m_frameFill - consumed - FrameHeaderSize < length)
                {
                    break;
                }

                var frame = new byte[length];
                Buffer.BlockCopy(m_frameBuffer, consumed + FrameHeaderSize, frame, 0, length);
                consumed += FrameHeaderSize + length;
                FrameReceived?.Invoke(this, frame);
            }

            if (consumed > 0)
            {
                Buffer.BlockCopy(m_frameBuffer, consumed, m_frameBuffer, 0, m_frameFill - consumed);
                m_frameFill -= consumed;
            }
        }

        private void EnsureFrameCapacity(int needed)
        {
            if (needed <= m_frameBuffer.Length)
            {
                return;
            }

            int size = m_frameBuffer.Length;
            while (size < needed)
            {
                size *= 2;
            }

            Array.Resize(ref m_frameBuffer, size);
        }

        private void OnFailed(CompletionStatus status)
        {
            if (status.Operation == OperationType.Receive)
            {
                ReturnPooledBlock();
            }

            if (status.Operation == OperationType.Send)
            {
                (status.State as FrameSend)?.Dispose();
                lock (m_gate)
                {
                    m_gather.Clear();
                    m_sendQueue.Clear();
                }
            }

            if (status.Operation == OperationType.Connect)
            {
                m_connectAddress?.Dispose();
                m_connectAddress = null;
                m_state = SocketState.Bound;
            }

            if (SocketErrors.IsDisconnect(status.Error) || SocketErrors.IsAborted(status.Error))
            {
                OnDisconnected();
                return;
            }

            Faulted?.Invoke(this, (SocketError)status.Error);
        }

        private void OnDisconnected()
        {
            if (m_state == SocketState.Closed)
            {
                return;
            }

            m_state = SocketState.Closed;
            Disconnected?.Invoke(this);
        }

        private void ReturnPooledBlock()
        {
            IntPtr block = m_pooledBlock;
            m_pooledBlock = IntPtr.Zero;
            if (block != IntPtr.Zero)
            {
                m_pool.Return(block);
            }
        }

        private static void WriteBuffer(IntPtr destination, IntPtr pointer, int length)
        {
            Marshal.StructureToPtr(new WsaBuffer { Length = length, Pointer = pointer }, destination, false);
        }

        private static void ValidateSegment(byte[] buffer, int offset, int count)
        {
            if (buffer is null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "segment outside the buffer");
            }
        }

        /// <summary>
        /// Closes the handle (which aborts anything in flight) and disposes both overlappeds: one still in progress defers
        /// its free to the completion handler, which runs when the aborted operation is dequeued.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref m_disposed, 1) != 0)
            {
                return;
            }

            if (m_handle != IntPtr.Zero)
            {
                WinSock.closesocket(m_handle);
                m_handle = IntPtr.Zero;
            }

            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();
            m_receivePin?.Dispose();
            m_sendPin?.Dispose();
            m_gather.Dispose();
            m_connectAddress?.Dispose();
            Marshal.FreeHGlobal(m_receiveBuffers);
            Marshal.FreeHGlobal(m_sendBuffers);
            Marshal.FreeHGlobal(m_frameHeader);
            m_state = SocketState.Closed;
        }
    }
}
