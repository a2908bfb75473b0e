using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace OverlappedAnalyzers.ReferenceSocket.Simulation
{
    /// <summary>
    /// An in-process kernel with the Winsock/IOCP semantics the reference socket depends on, so
    /// the socket code runs unchanged on any OS. It is test infrastructure that behaves like the
    /// kernel, not a mock of the code under test:
    /// <list type="bullet">
    /// <item>pending I/O is keyed by OVERLAPPED address; each completes exactly once, into the
    /// completion port its socket is associated with (also when it succeeded at once);</item>
    /// <item>a synchronous failure (WSAECONNRESET 10054, WSAENOTCONN, WSAENOTSOCK, WSAEINVAL,
    /// WSAECONNREFUSED …) queues nothing;</item>
    /// <item>a connection reset in the backlog fails the next AcceptEx synchronously; a reset during
    /// a pending accept or receive completes it with ERROR_NETNAME_DELETED (64); a reset before a
    /// receive fails WSARecv synchronously;</item>
    /// <item>CancelIoEx and closesocket complete pending I/O with ERROR_OPERATION_ABORTED (995);</item>
    /// <item>every OVERLAPPED block handed over is checked against the blocks the caller reported
    /// as allocated (with an allocation generation, so a reused address is not mistaken for the
    /// old block): writing a completion into, or dequeuing one for, a freed block is recorded as a
    /// use-after-free instead of touching the memory.</item>
    /// </list>
    /// One lock guards all state; a thread blocked in GetQueuedCompletionStatus waits on it.
    /// </summary>
    public sealed class SimulatedKernel : INativeSocketApi
    {
        private const int MaxRecordedViolations = 1000;
        private const int FirstEphemeralPort = 49152;

        [ThreadStatic]
        private static int t_lastError;

        private readonly object m_gate = new object();
        private readonly Dictionary<IntPtr, SimPort> m_ports = new Dictionary<IntPtr, SimPort>();
        private readonly Dictionary<IntPtr, SimSocket> m_sockets = new Dictionary<IntPtr, SimSocket>();
        private readonly Dictionary<int, SimSocket> m_listeners = new Dictionary<int, SimSocket>();
        private readonly Dictionary<int, RemoteListener> m_remoteListeners = new Dictionary<int, RemoteListener>();
        private readonly HashSet<int> m_boundPorts = new HashSet<int>();
        private readonly Dictionary<IntPtr, long> m_liveBlocks = new Dictionary<IntPtr, long>();
        private readonly Dictionary<IntPtr, PendingIo> m_pending = new Dictionary<IntPtr, PendingIo>();
        private readonly List<string> m_violations = new List<string>();
        private long m_nextHandle = 0x1000;
        private long m_generation;
        private int m_nextEphemeralPort = FirstEphemeralPort;
        private long m_violationCount;
        private long m_useAfterFreeCount;
        private long m_freedWhilePendingCount;
        private long m_synchronousFailureCount;
        private long m_completionCount;

        /// <summary>Completions written into (or dequeued for) an OVERLAPPED block that had been freed, plus freed blocks handed to a call.</summary>
        public long UseAfterFreeCount
        {
            get { lock (m_gate) { return m_useAfterFreeCount; } }
        }

        /// <summary>Blocks freed while the kernel still owned them (each will also be a use-after-free when it completes).</summary>
        public long FreedWhilePendingCount
        {
            get { lock (m_gate) { return m_freedWhilePendingCount; } }
        }

        /// <summary>Every protocol violation seen (use-after-free, reuse of a pending OVERLAPPED, double free, lost completion).</summary>
        public long ViolationCount
        {
            get { lock (m_gate) { return m_violationCount; } }
        }

        /// <summary>The first violations, described (at most 1000 are kept).</summary>
        public IReadOnlyList<string> Violations
        {
            get { lock (m_gate) { return m_violations.ToArray(); } }
        }

        /// <summary>Overlapped calls that failed synchronously with an error other than IO pending (no completion queued).</summary>
        public long SynchronousFailureCount
        {
            get { lock (m_gate) { return m_synchronousFailureCount; } }
        }

        /// <summary>Completion packets queued for I/O (posted packets excluded).</summary>
        public long CompletionCount
        {
            get { lock (m_gate) { return m_completionCount; } }
        }

        public int PendingOperationCount
        {
            get { lock (m_gate) { return m_pending.Count; } }
        }

        public int QueuedCompletionCount
        {
            get
            {
                lock (m_gate)
                {
                    int count = 0;
                    foreach (SimPort port in m_ports.Values)
                    {
                        count += port.Queue.Count;
                    }

                    return count;
                }
            }
        }

        /// <summary>Socket handles created and not closed.</summary>
        public int OpenSocketCount
        {
            get { lock (m_gate) { return m_sockets.Count; } }
        }

        /// <summary>OVERLAPPED blocks reported allocated and not freed.</summary>
        public int LiveOverlappedBlockCount
        {
            get { lock (m_gate) { return m_liveBlocks.Count; } }
        }

        // ---- the network side: what remote machines do ------------------------------------

        /// <summary>A remote client connects to the local listener on <paramref name="port"/>.</summary>
        /// <param name="resetDuringHandshake">The client resets before the connection is accepted:
        /// a pending AcceptEx completes with ERROR_NETNAME_DELETED (64); otherwise the reset
        /// connection waits in the backlog and fails the next AcceptEx with WSAECONNRESET.</param>
        public RemotePeer RemoteConnect(int port, bool resetDuringHandshake = false)
        {
            lock (m_gate)
            {
                if (!m_listeners.TryGetValue(port, out SimSocket? listener))
                {
                    throw new InvalidOperationException("Nothing listens on port " + port.ToString(CultureInfo.InvariantCulture) + ": the remote connection is refused.");
                }

                var remote = new Endpoint(null);
                var server = new Endpoint(null);
                Link(remote, server);
                if (resetDuringHandshake)
                {
                    remote.Closed = true;
                    server.ResetReceived = true;
                }

                ArriveAtListener(listener, server);
                return new RemotePeer(this, remote);
            }
        }

        /// <summary>A remote server on <paramref name="port"/> that local ConnectEx calls reach.</summary>
        public void AddRemoteListener(int port, RemoteListenerBehavior behavior)
        {
            lock (m_gate)
            {
                m_remoteListeners[port] = new RemoteListener(behavior);
            }
        }

        /// <summary>The next connection a remote listener accepted, if any.</summary>
        public RemotePeer? TakeAcceptedRemotePeer(int port)
        {
            lock (m_gate)
            {
                return m_remoteListeners.TryGetValue(port, out RemoteListener? listener) && listener.Accepted.Count > 0
                    ? listener.Accepted.Dequeue()
                    : null;
            }
        }

        // ---- INativeSocketApi: completion ports -------------------------------------------

        public IntPtr CreateCompletionPort()
        {
            lock (m_gate)
            {
                IntPtr handle = NewHandle();
                m_ports.Add(handle, new SimPort());
                return handle;
            }
        }

        public bool AssociateWithCompletionPort(IntPtr handle, IntPtr port, IntPtr completionKey)
        {
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(handle, out SimSocket? socket) || !m_ports.TryGetValue(port, out SimPort? simPort))
                {
                    return SetError(KernelErrors.InvalidHandle);
                }

                if (socket.Port != null)
                {
                    return SetError(KernelErrors.InvalidParameter);
                }

                socket.Port = simPort;
                socket.CompletionKey = completionKey;
                return true;
            }
        }

        public bool GetQueuedCompletionStatus(IntPtr port, out int bytesTransferred, out IntPtr completionKey, out IntPtr overlapped, int timeoutMilliseconds)
        {
            bytesTransferred = 0;
            completionKey = IntPtr.Zero;
            overlapped = IntPtr.Zero;
            int start = Environment.TickCount;
            lock (m_gate)
            {
                if (!m_ports.TryGetValue(port, out SimPort? simPort))
                {
                    return SetError(KernelErrors.InvalidHandle);
                }

                while (true)
                {
                    while (simPort.Queue.Count == 0)
                    {
                        if (simPort.Closed)
                        {
                            return SetError(KernelErrors.InvalidHandle);
                        }

                        int remaining = timeoutMilliseconds < 0 ? Timeout.Infinite : timeoutMilliseconds - unchecked(Environment.TickCount - start);
                        if (timeoutMilliseconds >= 0 && remaining <= 0)
                        {
                            return SetError(KernelErrors.WaitTimeout);
                        }

                        Monitor.Wait(m_gate, remaining);
                    }

                    Packet packet = simPort.Queue.Dequeue();
                    if (packet.Overlapped != IntPtr.Zero && !IsLive(packet.Overlapped, packet.Generation))
                    {
                        // The caller would now read its object back out of freed memory.
                        RecordUseAfterFree("a completion was dequeued for OVERLAPPED " + Hex(packet.Overlapped) + " after the block was freed");
                        continue;
                    }

                    bytesTransferred = packet.BytesTransferred;
                    completionKey = packet.CompletionKey;
                    overlapped = packet.Overlapped;
                    return packet.Error == 0 || SetError(packet.Error);
                }
            }
        }

        public bool PostQueuedCompletionStatus(IntPtr port, int bytesTransferred, IntPtr completionKey, IntPtr overlapped)
        {
            lock (m_gate)
            {
                if (!m_ports.TryGetValue(port, out SimPort? simPort) || simPort.Closed)
                {
                    return SetError(KernelErrors.InvalidHandle);
                }

                long generation = 0;
                if (overlapped != IntPtr.Zero && !m_liveBlocks.TryGetValue(overlapped, out generation))
                {
                    RecordUseAfterFree("PostQueuedCompletionStatus was handed OVERLAPPED " + Hex(overlapped) + ", which is not allocated");
                }

                simPort.Queue.Enqueue(new Packet(bytesTransferred, completionKey, overlapped, 0, generation));
                Monitor.PulseAll(m_gate);
                return true;
            }
        }

        public bool CloseCompletionPort(IntPtr port)
        {
            lock (m_gate)
            {
                if (!m_ports.TryGetValue(port, out SimPort? simPort))
                {
                    return SetError(KernelErrors.InvalidHandle);
                }

                m_ports.Remove(port);
                simPort.Closed = true;
                if (simPort.Queue.Count > 0)
                {
                    RecordViolation(simPort.Queue.Count.ToString(CultureInfo.InvariantCulture) + " completion packet(s) were still queued when the port was closed: their operations never complete");
                    simPort.Queue.Clear();
                }

                Monitor.PulseAll(m_gate);
                return true;
            }
        }

        // ---- INativeSocketApi: sockets ------------------------------------------------------

        public IntPtr CreateSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
            lock (m_gate)
            {
                if (socketType != SocketType.Stream)
                {
                    SetError(KernelErrors.WsaInvalidArgument);
                    return new IntPtr(-1);
                }

                IntPtr handle = NewHandle();
                m_sockets.Add(handle, new SimSocket(handle));
                return handle;
            }
        }

        public SocketError Bind(IntPtr socket, IntPtr address, int addressLength)
        {
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? simSocket))
                {
                    return SocketFailure(KernelErrors.WsaNotSocket);
                }

                if (simSocket.LocalPort != 0 || address == IntPtr.Zero || addressLength < 4)
                {
                    return SocketFailure(KernelErrors.WsaInvalidArgument);
                }

                int port = ReadPort(address);
                if (port == 0)
                {
                    port = NextEphemeralPort();
                }
                else if (m_boundPorts.Contains(port))
                {
                    return SocketFailure(KernelErrors.WsaAddressInUse);
                }

                m_boundPorts.Add(port);
                simSocket.LocalPort = port;
                simSocket.OwnsPort = true;
                return SocketError.Success;
            }
        }

        public SocketError Listen(IntPtr socket, int backlog)
        {
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? simSocket))
                {
                    return SocketFailure(KernelErrors.WsaNotSocket);
                }

                if (simSocket.LocalPort == 0 || simSocket.Endpoint != null)
                {
                    return SocketFailure(KernelErrors.WsaInvalidArgument);
                }

                simSocket.Listening = true;
                m_listeners[simSocket.LocalPort] = simSocket;
                return SocketError.Success;
            }
        }

        public bool AcceptEx(IntPtr listenSocket, IntPtr acceptSocket, IntPtr outputBuffer, int receiveDataLength, int localAddressLength, int remoteAddressLength, out int bytesReceived, IntPtr overlapped)
        {
            bytesReceived = 0;
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(listenSocket, out SimSocket? listener) || !m_sockets.TryGetValue(acceptSocket, out SimSocket? accepted))
                {
                    return SyncFailure(KernelErrors.WsaNotSocket);
                }

                if (!listener.Listening || accepted.Endpoint != null || accepted.Listening || accepted.LocalPort != 0)
                {
                    return SyncFailure(KernelErrors.WsaInvalidArgument);
                }

                if (!CheckHandOver(overlapped, "AcceptEx", out long generation, out int handOverError))
                {
                    return SyncFailure(handOverError);
                }

                if (listener.Backlog.Count > 0)
                {
                    Endpoint connection = listener.Backlog.Dequeue();
                    if (connection.ResetReceived)
                    {
                        // The incident's prober: connected and reset before we accepted.
                        return SyncFailure(KernelErrors.WsaConnectionReset);
                    }

                    Attach(accepted, connection, listener);
                    QueueCompletion(listener, overlapped, generation, 0, 0, OperationKind.Accept);
                    return true;
                }

                var io = new PendingIo(overlapped, generation, listener, OperationKind.Accept, null) { AcceptSocket = accepted };
                Begin(io);
                listener.PendingAccepts.Add(io);
                return SetError(KernelErrors.IOPending);
            }
        }

        public bool ConnectEx(IntPtr socket, IntPtr address, int addressLength, IntPtr sendBuffer, int sendLength, out int bytesSent, IntPtr overlapped)
        {
            bytesSent = 0;
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? client))
                {
                    return SyncFailure(KernelErrors.WsaNotSocket);
                }

                if (client.Endpoint != null)
                {
                    return SyncFailure(KernelErrors.WsaIsConnected);
                }

                if (client.LocalPort == 0 || client.Listening || address == IntPtr.Zero || addressLength < 4)
                {
                    // ConnectEx requires a bound, unconnected socket.
                    return SyncFailure(KernelErrors.WsaInvalidArgument);
                }

                if (!CheckHandOver(overlapped, "ConnectEx", out long generation, out int handOverError))
                {
                    return SyncFailure(handOverError);
                }

                int port = ReadPort(address);
                if (m_listeners.TryGetValue(port, out SimSocket? listener))
                {
                    var local = new Endpoint(client);
                    var server = new Endpoint(null);
                    Link(local, server);
                    client.Endpoint = local;
                    ArriveAtListener(listener, server);
                    QueueCompletion(client, overlapped, generation, 0, 0, OperationKind.Connect);
                    return SetError(KernelErrors.IOPending);
                }

                if (!m_remoteListeners.TryGetValue(port, out RemoteListener? remoteListener) || remoteListener.Behavior == RemoteListenerBehavior.Refuse)
                {
                    QueueCompletion(client, overlapped, generation, KernelErrors.ConnectionRefused, 0, OperationKind.Connect);
                    return SetError(KernelErrors.IOPending);
                }

                if (remoteListener.Behavior == RemoteListenerBehavior.RefuseSynchronously)
                {
                    return SyncFailure(KernelErrors.WsaConnectionRefused);
                }

                var clientEndpoint = new Endpoint(client);
                var remote = new Endpoint(null);
                Link(clientEndpoint, remote);
                client.Endpoint = clientEndpoint;
                if (remoteListener.Behavior == RemoteListenerBehavior.AcceptThenReset)
                {
                    remote.Closed = true;
                    clientEndpoint.ResetReceived = true;
                }
                else
                {
                    remoteListener.Accepted.Enqueue(new RemotePeer(this, remote));
                }

                QueueCompletion(client, overlapped, generation, 0, 0, OperationKind.Connect);
                return SetError(KernelErrors.IOPending);
            }
        }

        public SocketError Send(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, SocketFlags flags, IntPtr overlapped)
        {
            bytesTransferred = 0;
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? sender))
                {
                    return SocketSyncFailure(KernelErrors.WsaNotSocket);
                }

                if (!CheckHandOver(overlapped, "WSASend", out long generation, out int handOverError))
                {
                    return SocketSyncFailure(handOverError);
                }

                Endpoint? endpoint = sender.Endpoint;
                if (endpoint == null)
                {
                    return SocketSyncFailure(KernelErrors.WsaNotConnected);
                }

                if (endpoint.ResetReceived)
                {
                    return SocketSyncFailure(KernelErrors.WsaConnectionReset);
                }

                byte[] data = Gather(ReadBuffers(buffers, bufferCount));
                Deliver(endpoint.Peer!, data);
                bytesTransferred = data.Length;

                // Success at once still queues a completion on an associated socket.
                QueueCompletion(sender, overlapped, generation, 0, data.Length, OperationKind.Send);
                return SocketError.Success;
            }
        }

        public SocketError Receive(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, ref SocketFlags flags, IntPtr overlapped)
        {
            bytesTransferred = 0;
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? receiver))
                {
                    return SocketSyncFailure(KernelErrors.WsaNotSocket);
                }

                if (!CheckHandOver(overlapped, "WSARecv", out long generation, out int handOverError))
                {
                    return SocketSyncFailure(handOverError);
                }

                Endpoint? endpoint = receiver.Endpoint;
                if (endpoint == null)
                {
                    return SocketSyncFailure(KernelErrors.WsaNotConnected);
                }

                if (endpoint.ResetReceived)
                {
                    // The reset arrived before the receive was posted: it never reaches the driver.
                    return SocketSyncFailure(KernelErrors.WsaConnectionReset);
                }

                var io = new PendingIo(overlapped, generation, receiver, OperationKind.Receive, ReadBuffers(buffers, bufferCount));
                if (endpoint.Inbox.Count > 0 || endpoint.FinReceived)
                {
                    int count = Fill(io, endpoint);
                    bytesTransferred = count;
                    QueueCompletion(receiver, overlapped, generation, 0, count, OperationKind.Receive);
                    return SocketError.Success;
                }

                Begin(io);
                SetError(KernelErrors.IOPending);
                return SocketError.SocketError;
            }
        }

        public bool CancelIoEx(IntPtr handle, IntPtr overlapped)
        {
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(handle, out SimSocket? socket))
                {
                    return SetError(KernelErrors.InvalidHandle);
                }

                var cancelled = socket.Pending.FindAll(io => overlapped == IntPtr.Zero || io.Overlapped == overlapped);
                if (cancelled.Count == 0)
                {
                    return SetError(KernelErrors.NotFound);
                }

                foreach (PendingIo io in cancelled)
                {
                    Complete(io, KernelErrors.OperationAborted, 0);
                }

                return true;
            }
        }

        public SocketError CloseSocket(IntPtr socket)
        {
            lock (m_gate)
            {
                if (!m_sockets.TryGetValue(socket, out SimSocket? simSocket))
                {
                    return SocketFailure(KernelErrors.WsaNotSocket);
                }

                foreach (PendingIo io in simSocket.Pending.ToArray())
                {
                    Complete(io, KernelErrors.OperationAborted, 0);
                }

                m_sockets.Remove(socket);
                simSocket.Closed = true;
                if (simSocket.Listening && m_listeners.TryGetValue(simSocket.LocalPort, out SimSocket? listener) && listener == simSocket)
                {
                    m_listeners.Remove(simSocket.LocalPort);
                    while (simSocket.Backlog.Count > 0)
                    {
                        Endpoint waiting = simSocket.Backlog.Dequeue();
                        waiting.Closed = true;
                        waiting.Peer!.ResetReceived = true;
                    }
                }

                if (simSocket.OwnsPort)
                {
                    m_boundPorts.Remove(simSocket.LocalPort);
                }

                Endpoint? endpoint = simSocket.Endpoint;
                if (endpoint != null && !endpoint.Closed)
                {
                    endpoint.Closed = true;
                    Shutdown(endpoint.Peer!);
                }

                return SocketError.Success;
            }
        }

        public SocketError GetLastError() => (SocketError)t_lastError;

        public void OverlappedBlockAllocated(IntPtr overlapped, int size)
        {
            lock (m_gate)
            {
                if (m_liveBlocks.ContainsKey(overlapped))
                {
                    RecordViolation("OVERLAPPED " + Hex(overlapped) + " was reported allocated twice");
                }

                m_liveBlocks[overlapped] = ++m_generation;
            }
        }

        public void OverlappedBlockFreeing(IntPtr overlapped)
        {
            lock (m_gate)
            {
                if (!m_liveBlocks.Remove(overlapped))
                {
                    RecordViolation("OVERLAPPED " + Hex(overlapped) + " was freed but is not allocated (double free)");
                }

                if (m_pending.TryGetValue(overlapped, out PendingIo? io))
                {
                    m_freedWhilePendingCount++;
                    RecordViolation("OVERLAPPED " + Hex(overlapped) + " was freed while its " + io.Kind + " is pending in the kernel");
                }
            }
        }

        // ---- kernel internals (all called under m_gate) -----------------------------------

        internal void ResetFromRemote(Endpoint remote)
        {
            lock (m_gate)
            {
                if (remote.Closed)
                {
                    return;
                }

                remote.Closed = true;
                Endpoint local = remote.Peer!;
                local.ResetReceived = true;
                local.Inbox.Clear();
                PendingIo? receive = local.Socket?.Pending.Find(io => io.Kind == OperationKind.Receive);
                if (receive != null)
                {
                    Complete(receive, KernelErrors.NetworkNameDeleted, 0);
                }
            }
        }

        internal void SendFromRemote(Endpoint remote, byte[] data)
        {
            lock (m_gate)
            {
                if (remote.Closed || remote.ResetReceived)
                {
                    throw new InvalidOperationException("The remote side of this connection is closed or was reset.");
                }

                Deliver(remote.Peer!, (byte[])data.Clone());
            }
        }

        internal void ShutdownFromRemote(Endpoint remote)
        {
            lock (m_gate)
            {
                if (!remote.Closed)
                {
                    remote.Closed = true;
                    Shutdown(remote.Peer!);
                }
            }
        }

        internal long ReceivedByRemote(Endpoint remote)
        {
            lock (m_gate)
            {
                return remote.BytesReceived;
            }
        }

        internal bool IsResetReceived(Endpoint remote)
        {
            lock (m_gate)
            {
                return remote.ResetReceived;
            }
        }

        internal bool IsFinReceived(Endpoint remote)
        {
            lock (m_gate)
            {
                return remote.FinReceived;
            }
        }

        private static string Hex(IntPtr address) => "0x" + address.ToInt64().ToString("x", CultureInfo.InvariantCulture);

        private static void Link(Endpoint a, Endpoint b)
        {
            a.Peer = b;
            b.Peer = a;
        }

        private static int ReadPort(IntPtr sockaddr) => (Marshal.ReadByte(sockaddr, 2) << 8) | Marshal.ReadByte(sockaddr, 3);

        private static (IntPtr Pointer, int Length)[] ReadBuffers(IntPtr buffers, int count)
        {
            var result = new (IntPtr Pointer, int Length)[Math.Max(count, 0)];
            int stride = 2 * IntPtr.Size;
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (Marshal.ReadIntPtr(buffers, (i * stride) + IntPtr.Size), Marshal.ReadInt32(buffers, i * stride));
            }

            return result;
        }

        private static byte[] Gather((IntPtr Pointer, int Length)[] buffers)
        {
            int total = 0;
            foreach ((IntPtr _, int length) in buffers)
            {
                total += length;
            }

            byte[] data = new byte[total];
            int offset = 0;
            foreach ((IntPtr pointer, int length) in buffers)
            {
                Marshal.Copy(pointer, data, offset, length);
                offset += length;
            }

            return data;
        }

        // Copies queued data into the receive's buffers (the memory the caller keeps pinned).
        private static int Fill(PendingIo io, Endpoint endpoint)
        {
            int copied = 0;
            foreach ((IntPtr pointer, int length) in io.Buffers!)
            {
                int written = 0;
                while (written < length && endpoint.Inbox.Count > 0)
                {
                    byte[] chunk = endpoint.Inbox.First!.Value;
                    int count = Math.Min(chunk.Length, length - written);
                    Marshal.Copy(chunk, 0, pointer + written, count);
                    written += count;
                    endpoint.Inbox.RemoveFirst();
                    if (count < chunk.Length)
                    {
                        byte[] rest = new byte[chunk.Length - count];
                        Array.Copy(chunk, count, rest, 0, rest.Length);
                        endpoint.Inbox.AddFirst(rest);
                    }
                }

                copied += written;
            }

            return copied;
        }

        private IntPtr NewHandle()
        {
            m_nextHandle += 4;
            return new IntPtr(m_nextHandle);
        }

        private int NextEphemeralPort()
        {
            for (int attempt = 0; attempt <= 65535 - FirstEphemeralPort; attempt++)
            {
                int port = m_nextEphemeralPort;
                m_nextEphemeralPort = port == 65535 ? FirstEphemeralPort : port + 1;
                if (!m_boundPorts.Contains(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("The simulated kernel ran out of ephemeral ports.");
        }

        private bool SetError(int error)
        {
            t_lastError = error;
            return false;
        }

        private SocketError SocketFailure(int error)
        {
            t_lastError = error;
            return SocketError.SocketError;
        }

        private bool SyncFailure(int error)
        {
            m_synchronousFailureCount++;
            return SetError(error);
        }

        private SocketError SocketSyncFailure(int error)
        {
            m_synchronousFailureCount++;
            return SocketFailure(error);
        }

        private bool CheckHandOver(IntPtr overlapped, string call, out long generation, out int error)
        {
            generation = 0;
            error = 0;
            if (overlapped == IntPtr.Zero || !m_liveBlocks.TryGetValue(overlapped, out generation))
            {
                RecordUseAfterFree(call + " was handed OVERLAPPED " + Hex(overlapped) + ", which is not allocated");
                error = KernelErrors.WsaFault;
                return false;
            }

            if (m_pending.TryGetValue(overlapped, out PendingIo? pending))
            {
                RecordViolation(call + " was handed OVERLAPPED " + Hex(overlapped) + " while its " + pending.Kind + " is still pending");
                error = KernelErrors.WsaInvalidArgument;
                return false;
            }

            return true;
        }

        private bool IsLive(IntPtr overlapped, long generation) =>
            m_liveBlocks.TryGetValue(overlapped, out long live) && live == generation;

        private void Begin(PendingIo io)
        {
            m_pending.Add(io.Overlapped, io);
            io.Socket.Pending.Add(io);
        }

        private void Complete(PendingIo io, int error, int bytesTransferred)
        {
            m_pending.Remove(io.Overlapped);
            io.Socket.Pending.Remove(io);
            if (io.Kind == OperationKind.Accept)
            {
                io.Socket.PendingAccepts.Remove(io);
            }

            QueueCompletion(io.Socket, io.Overlapped, io.Generation, error, bytesTransferred, io.Kind);
        }

        // What the kernel does when an I/O finishes: write the status into the caller's
        // OVERLAPPED and queue a packet to the socket's port. The block must still be allocated.
        private void QueueCompletion(SimSocket socket, IntPtr overlapped, long generation, int error, int bytesTransferred, OperationKind kind)
        {
            if (!IsLive(overlapped, generation))
            {
                RecordUseAfterFree("the kernel completed " + kind + " into OVERLAPPED " + Hex(overlapped) + " after the block was freed");
                return;
            }

            Marshal.WriteIntPtr(overlapped, 0, new IntPtr(error));
            Marshal.WriteIntPtr(overlapped, IntPtr.Size, new IntPtr(bytesTransferred));
            if (socket.Port == null || socket.Port.Closed)
            {
                RecordViolation(kind + " completed on a socket without an open completion port: the completion is lost");
                return;
            }

            socket.Port.Queue.Enqueue(new Packet(bytesTransferred, socket.CompletionKey, overlapped, error, generation));
            m_completionCount++;
            Monitor.PulseAll(m_gate);
        }

        private void ArriveAtListener(SimSocket listener, Endpoint connection)
        {
            while (listener.PendingAccepts.Count > 0)
            {
                PendingIo accept = listener.PendingAccepts[0];
                if (connection.ResetReceived)
                {
                    // Reset while the accept was in progress: the accept completes with an error.
                    Complete(accept, KernelErrors.NetworkNameDeleted, 0);
                    return;
                }

                if (accept.AcceptSocket!.Closed)
                {
                    Complete(accept, KernelErrors.WsaNotSocket, 0);
                    continue;
                }

                Attach(accept.AcceptSocket, connection, listener);
                Complete(accept, 0, 0);
                return;
            }

            listener.Backlog.Enqueue(connection);
        }

        private static void Attach(SimSocket accepted, Endpoint connection, SimSocket listener)
        {
            accepted.Endpoint = connection;
            connection.Socket = accepted;
            accepted.LocalPort = listener.LocalPort;
        }

        private void Deliver(Endpoint target, byte[] data)
        {
            if (target.Closed)
            {
                return;
            }

            target.BytesReceived += data.Length;
            target.Inbox.AddLast(data);
            PendingIo? receive = target.Socket?.Pending.Find(io => io.Kind == OperationKind.Receive);
            if (receive != null)
            {
                int count = Fill(receive, target);
                Complete(receive, 0, count);
            }
        }

        private void Shutdown(Endpoint target)
        {
            target.FinReceived = true;
            PendingIo? receive = target.Socket?.Pending.Find(io => io.Kind == OperationKind.Receive);
            if (receive != null && target.Inbox.Count == 0)
            {
                Complete(receive, 0, 0);
            }
        }

        private void RecordUseAfterFree(string description)
        {
            m_useAfterFreeCount++;
            RecordViolation("use-after-free: " + description);
        }

        private void RecordViolation(string description)
        {
            m_violationCount++;
            if (m_violations.Count < MaxRecordedViolations)
            {
                m_violations.Add(description);
            }
        }

        internal readonly struct Packet
        {
            public Packet(int bytesTransferred, IntPtr completionKey, IntPtr overlapped, int error, long generation)
            {
                BytesTransferred = bytesTransferred;
                CompletionKey = completionKey;
                Overlapped = overlapped;
                Error = error;
                Generation = generation;
            }

            public int BytesTransferred { get; }

            public IntPtr CompletionKey { get; }

            public IntPtr Overlapped { get; }

            public int Error { get; }

            public long Generation { get; }
        }

        internal sealed class SimPort
        {
            public Queue<Packet> Queue { get; } = new Queue<Packet>();

            public bool Closed { get; set; }
        }

        internal sealed class SimSocket
        {
            public SimSocket(IntPtr handle)
            {
                Handle = handle;
            }

            public IntPtr Handle { get; }

            public SimPort? Port { get; set; }

            public IntPtr CompletionKey { get; set; }

            public int LocalPort { get; set; }

            public bool OwnsPort { get; set; }

            public bool Listening { get; set; }

            public bool Closed { get; set; }

            public Endpoint? Endpoint { get; set; }

            public Queue<Endpoint> Backlog { get; } = new Queue<Endpoint>();

            public List<PendingIo> PendingAccepts { get; } = new List<PendingIo>();

            public List<PendingIo> Pending { get; } = new List<PendingIo>();
        }

        internal sealed class PendingIo
        {
            public PendingIo(IntPtr overlapped, long generation, SimSocket socket, OperationKind kind, (IntPtr Pointer, int Length)[]? buffers)
            {
                Overlapped = overlapped;
                Generation = generation;
                Socket = socket;
                Kind = kind;
                Buffers = buffers;
            }

            public IntPtr Overlapped { get; }

            public long Generation { get; }

            public SimSocket Socket { get; }

            public OperationKind Kind { get; }

            public (IntPtr Pointer, int Length)[]? Buffers { get; }

            public SimSocket? AcceptSocket { get; set; }
        }

        internal sealed class RemoteListener
        {
            public RemoteListener(RemoteListenerBehavior behavior)
            {
                Behavior = behavior;
            }

            public RemoteListenerBehavior Behavior { get; }

            public Queue<RemotePeer> Accepted { get; } = new Queue<RemotePeer>();
        }

        /// <summary>One side of a simulated TCP connection.</summary>
        internal sealed class Endpoint
        {
            public Endpoint(SimSocket? socket)
            {
                Socket = socket;
            }

            public SimSocket? Socket { get; set; }

            public Endpoint? Peer { get; set; }

            public LinkedList<byte[]> Inbox { get; } = new LinkedList<byte[]>();

            public bool ResetReceived { get; set; }

            public bool FinReceived { get; set; }

            public bool Closed { get; set; }

            public long BytesReceived { get; set; }
        }
    }
}
