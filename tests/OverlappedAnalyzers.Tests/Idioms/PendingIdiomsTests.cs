using System.Threading.Tasks;
using Xunit;

namespace OverlappedAnalyzers.Tests.Idioms
{
    /// <summary>
    /// A labelled corpus of pending-operation idioms (OVL001/OVL002/OVL006), written from scratch in the style of real
    /// interop code: each leak (<c>Leak_</c>) is marked where RULES.md reports it; each correct twin (<c>Correct_</c>)
    /// must stay silent. Precision 1.0 means every twin silent; recall, every leak reported.
    /// </summary>
    public class PendingIdiomsTests
    {
        private const string Usings = @"
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Interop;
";

        private static Task Verify(string body) => PendingInterop.VerifyAsync(Usings + body);

        // ---- The call's result kept in an int is not the error ----

        [Fact]
        public Task Leak_ReadFileIntResult_ThenLastWin32ErrorNotPending() => Verify(@"
unsafe sealed class FileReader
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly byte[] m_buffer = new byte[65536];

    public void BeginRead(IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, this, m_buffer);
        fixed (byte* p = m_buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, m_buffer.Length, IntPtr.Zero, overlapped);
            if (ok == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != Kernel32.ERROR_IO_PENDING)
                {
                    {|OVL001:throw new IOException(""ReadFile failed"", error);|}
                }
            }
        }
    }
}");

        [Fact]
        public Task Correct_ReadFileIntResult_FreesBeforeThrowing() => Verify(@"
unsafe sealed class FileReader
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly byte[] m_buffer = new byte[65536];

    public void BeginRead(IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, this, m_buffer);
        fixed (byte* p = m_buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, m_buffer.Length, IntPtr.Zero, overlapped);
            if (ok == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != Kernel32.ERROR_IO_PENDING)
                {
                    m_bound.FreeNativeOverlapped(overlapped);
                    throw new IOException(""ReadFile failed"", error);
                }
            }
        }
    }
}");

        [Fact]
        public Task Leak_WriteFileUintResult_AndErrorNotPending_ReportsAndReturns() => Verify(@"
unsafe sealed class LogWriter
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly IErrorSink m_sink;

    public void Write(byte[] data, IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.UnsafeAllocateNativeOverlapped(callback, null, data);
        fixed (byte* p = data)
        {
            uint ok = (uint)Kernel32.WriteFile(m_file, p, data.Length, IntPtr.Zero, overlapped);
            uint err = Kernel32.GetLastError();
            if (ok == 0 && err != 997)
            {
                m_sink.OnError(err);
                {|OVL001:return;|}
            }
        }
    }
}");

        [Fact]
        public Task Correct_WriteFileUintResult_ErrorTestedFirst_SuccessPathReturnsQuietly() => Verify(@"
unsafe sealed class LogWriter
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly IErrorSink m_sink;

    public bool Write(byte[] data, IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.UnsafeAllocateNativeOverlapped(callback, null, data);
        fixed (byte* p = data)
        {
            uint ok = (uint)Kernel32.WriteFile(m_file, p, data.Length, IntPtr.Zero, overlapped);
            uint err = Kernel32.GetLastError();
            if (err != Kernel32.ERROR_IO_PENDING && ok == 0)
            {
                m_bound.FreeNativeOverlapped(overlapped);
                m_sink.OnError(err);
                return false;
            }
        }

        // Succeeded (the stale error says nothing) or pending: the completion callback frees it.
        return true;
    }
}");

        [Fact]
        public Task Leak_HidFeatureIoctl_EqualsFalse_PackedOverlapped() => Verify(@"
unsafe sealed class HidDevice
{
    private const uint IOCTL_HID_GET_FEATURE = 0xB0192;
    private readonly SafeFileHandle m_device;

    public bool GetFeature(IntPtr report, int length)
    {
        var managed = new System.Threading.Overlapped();
        NativeOverlapped* native = managed.Pack(OnFeature, null);
        if (Kernel32.DeviceIoControl(m_device, IOCTL_HID_GET_FEATURE, IntPtr.Zero, 0, report, length, IntPtr.Zero, native) == false)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != Kernel32.ERROR_IO_PENDING)
            {
                {|OVL001:return false;|}
            }
        }

        return true;
    }

    private static void OnFeature(uint error, uint bytes, NativeOverlapped* native) => System.Threading.Overlapped.Free(native);
}");

        [Fact]
        public Task Correct_HidFeatureIoctl_FreesThePackedOverlappedOnFailure() => Verify(@"
unsafe sealed class HidDevice
{
    private const uint IOCTL_HID_GET_FEATURE = 0xB0192;
    private readonly SafeFileHandle m_device;

    public bool GetFeature(IntPtr report, int length)
    {
        var managed = new System.Threading.Overlapped();
        NativeOverlapped* native = managed.Pack(OnFeature, null);
        if (!Kernel32.DeviceIoControl(m_device, IOCTL_HID_GET_FEATURE, IntPtr.Zero, 0, report, length, IntPtr.Zero, native))
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != Kernel32.ERROR_IO_PENDING)
            {
                System.Threading.Overlapped.Free(native);
                return false;
            }
        }

        return true;
    }

    private static void OnFeature(uint error, uint bytes, NativeOverlapped* native) => System.Threading.Overlapped.Free(native);
}");

        [Fact]
        public Task Leak_AcceptExDelegate_IntResultAndLastErrorInOneCondition() => Verify(@"
unsafe sealed class Listener
{
    private readonly IntPtr m_socket;
    private readonly IntPtr m_acceptExPtr;
    private readonly ThreadPoolBoundHandle m_bound;

    public bool BeginAccept(IntPtr accepted, IntPtr buffer, IOCompletionCallback callback)
    {
        var acceptEx = Marshal.GetDelegateForFunctionPointer<Winsock.AcceptExDelegate>(m_acceptExPtr);
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        int ok = acceptEx(m_socket, accepted, buffer, 0, 32, 32, out _, overlapped);
        if (ok == 0 && Marshal.GetLastWin32Error() != Winsock.WSA_IO_PENDING)
        {
            {|OVL001:return false;|}
        }

        return true;
    }
}");

        [Fact]
        public Task Correct_AcceptExDelegate_SuccessOrPendingTestedFirst() => Verify(@"
unsafe sealed class Listener
{
    private readonly IntPtr m_socket;
    private readonly IntPtr m_acceptExPtr;
    private readonly ThreadPoolBoundHandle m_bound;

    public bool BeginAccept(IntPtr accepted, IntPtr buffer, IOCompletionCallback callback)
    {
        var acceptEx = Marshal.GetDelegateForFunctionPointer<Winsock.AcceptExDelegate>(m_acceptExPtr);
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        int ok = acceptEx(m_socket, accepted, buffer, 0, 32, 32, out _, overlapped);
        int error = Marshal.GetLastWin32Error();
        if (ok != 0 || error == Winsock.WSA_IO_PENDING)
        {
            return true;
        }

        m_bound.FreeNativeOverlapped(overlapped);
        return false;
    }
}");

        [Fact]
        public Task Leak_ConnectExDelegate_NotBoolThenWsaGetLastError() => Verify(@"
unsafe sealed class Connector
{
    private readonly IntPtr m_socket;
    private readonly Winsock.ConnectExDelegate m_connectEx;
    private readonly OverlappedSlot m_connect = new OverlappedSlot();

    public void BeginConnect(IntPtr address, int length)
    {
        m_connect.StartOperation();
        if (!m_connectEx(m_socket, address, length, IntPtr.Zero, 0, out _, m_connect.Native))
        {
            int error = Winsock.WSAGetLastError();
            if (error != Winsock.WSA_IO_PENDING)
            {
                {|OVL001:throw new SocketException(error);|}
            }
        }
    }
}");

        [Fact]
        public Task Correct_ConnectExDelegate_IfOkElseIfNotPending_Completes() => Verify(@"
unsafe sealed class Connector
{
    private readonly IntPtr m_socket;
    private readonly Winsock.ConnectExDelegate m_connectEx;
    private readonly OverlappedSlot m_connect = new OverlappedSlot();

    public void BeginConnect(IntPtr address, int length)
    {
        m_connect.StartOperation();
        bool ok = m_connectEx(m_socket, address, length, IntPtr.Zero, 0, out _, m_connect.Native);
        int error = Winsock.WSAGetLastError();
        if (ok)
        {
            return;
        }
        else if (error != Winsock.WSA_IO_PENDING)
        {
            m_connect.Complete();
            throw new SocketException(error);
        }
    }
}");

        [Fact]
        public Task Leak_WsaSendSocketError_ThenWsaGetLastError() => Verify(@"
unsafe sealed class Connection
{
    private readonly IntPtr m_socket;
    private readonly OverlappedSlot m_send = new OverlappedSlot();

    public bool Send(WSABuffer* buffers, int count)
    {
        m_send.StartOperation();
        int rc = Winsock.WSASend(m_socket, buffers, count, out _, SocketFlags.None, m_send.Native, IntPtr.Zero);
        if (rc == Winsock.SOCKET_ERROR)
        {
            int error = Winsock.WSAGetLastError();
            if (error != Winsock.WSA_IO_PENDING)
            {
                {|OVL001:return false;|}
            }
        }

        return true;
    }
}");

        [Fact]
        public Task Correct_WsaSendZeroIsSuccess_StaleErrorAfterIt() => Verify(@"
unsafe sealed class Connection
{
    private readonly IntPtr m_socket;
    private readonly OverlappedSlot m_send = new OverlappedSlot();

    public bool Send(WSABuffer* buffers, int count)
    {
        m_send.StartOperation();
        int rc = Winsock.WSASend(m_socket, buffers, count, out _, SocketFlags.None, m_send.Native, IntPtr.Zero);
        int error = Winsock.WSAGetLastError();
        if (error == Winsock.WSA_IO_PENDING || rc == 0)
        {
            return true;
        }

        m_send.Complete();
        return false;
    }
}");

        [Fact]
        public Task Leak_LibraryImportConnectNamedPipe_NestedIf() => Verify(@"
unsafe sealed class PipeServer
{
    private readonly SafeHandle m_pipe;
    private readonly ThreadPoolBoundHandle m_bound;

    public void WaitForConnection(IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        int ok = Kernel32.ConnectNamedPipe(m_pipe, overlapped);
        if (ok == 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != Kernel32.ERROR_IO_PENDING)
            {
                {|OVL001:throw new IOException(""ConnectNamedPipe failed"", error);|}
            }
        }
    }
}");

        [Fact]
        public Task Correct_SerialWaitCommEvent_UintResult_FreesOnFailure() => Verify(@"
unsafe sealed class SerialPort
{
    private readonly SafeFileHandle m_port;
    private readonly ThreadPoolBoundHandle m_bound;
    private uint m_mask;

    public bool BeginWait(IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        fixed (uint* mask = &m_mask)
        {
            uint ok = Kernel32.WaitCommEvent(m_port, mask, overlapped);
            if (ok == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != Kernel32.ERROR_IO_PENDING)
                {
                    m_bound.FreeNativeOverlapped(overlapped);
                    return false;
                }
            }
        }

        return true;
    }
}");

        // ---- HTTP.sys returns the error itself ----

        [Fact]
        public Task Leak_HttpReceiveHttpRequest_StatusCodeNeitherSuccessNorPending() => Verify(@"
unsafe sealed class RequestQueue
{
    private readonly SafeHandle m_queue;
    private readonly ThreadPoolBoundHandle m_bound;

    public void BeginReceive(IntPtr buffer, uint size, IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        uint statusCode = HttpApi.HttpReceiveHttpRequest(m_queue, 0, 1, buffer, size, IntPtr.Zero, overlapped);
        if (statusCode != Kernel32.ERROR_SUCCESS && statusCode != Kernel32.ERROR_IO_PENDING)
        {
            {|OVL001:throw new Win32Exception((int)statusCode);|}
        }
    }
}");

        [Fact]
        public Task Correct_HttpReceiveHttpRequest_MoreDataCompletesThroughThePort() => Verify(@"
unsafe sealed class RequestQueue
{
    private readonly SafeHandle m_queue;
    private readonly ThreadPoolBoundHandle m_bound;

    public void BeginReceive(IntPtr buffer, uint size, IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, null);
        uint statusCode = HttpApi.HttpReceiveHttpRequest(m_queue, 0, 1, buffer, size, IntPtr.Zero, overlapped);
        if (statusCode == Kernel32.ERROR_MORE_DATA)
        {
            // A warning status: the completion is queued and the callback grows the buffer.
            return;
        }

        if (statusCode != Kernel32.ERROR_SUCCESS && statusCode != Kernel32.ERROR_IO_PENDING)
        {
            m_bound.FreeNativeOverlapped(overlapped);
            throw new Win32Exception((int)statusCode);
        }
    }
}");

        // ---- Specific error codes, and flags ----

        [Fact]
        public Task Leak_WsaRecvSocketError_ConnectionResetClosesAndReturns() => Verify(@"
unsafe sealed class Connection
{
    private readonly SafeSocketHandle m_socket;
    private readonly OverlappedSlot m_receive = new OverlappedSlot();
    private bool m_closed;

    public bool Receive(WSABuffer* buffers)
    {
        var flags = SocketFlags.None;
        m_receive.StartOperation();
        SocketError error = Winsock.WSARecv(m_socket, buffers, 1, out _, ref flags, m_receive.Native, IntPtr.Zero);
        if (error == SocketError.SocketError)
        {
            error = (SocketError)Marshal.GetLastWin32Error();
        }

        if (error == SocketError.ConnectionReset || error == SocketError.ConnectionAborted)
        {
            m_closed = true;
            {|OVL001:return false;|}
        }

        return true;
    }
}");

        [Fact]
        public Task Leak_NetnameDeletedIf_ReturnsWithoutFree() => Verify(@"
unsafe sealed class ShareReader
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly byte[] m_buffer = new byte[4096];

    public void Read(IOCompletionCallback callback)
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(callback, null, m_buffer);
        fixed (byte* p = m_buffer)
        {
            if (Kernel32.ReadFile(m_file, p, m_buffer.Length, IntPtr.Zero, overlapped) == 0)
            {
                if (Marshal.GetLastWin32Error() == Kernel32.ERROR_NETNAME_DELETED)
                    {|OVL001:return;|}
            }
        }
    }
}");

        [Fact]
        public Task Leak_HidReader_DisconnectBranchSetsNoReleaseFlag() => Verify(@"
unsafe sealed class HidReader
{
    private readonly SafeFileHandle m_device;
    private readonly OverlappedSlot m_read = new OverlappedSlot();
    private readonly byte[] m_report = new byte[64];
    private bool m_connected = true;

    public bool Read()
    {
        bool release = false;
        m_read.StartOperation();
        fixed (byte* p = m_report)
        {
            if (Kernel32.ReadFile(m_device, p, m_report.Length, IntPtr.Zero, m_read.Native) == 0)
            {
                int e = Marshal.GetLastWin32Error();
                if (e == Kernel32.ERROR_DEVICE_NOT_CONNECTED)
                {
                    m_connected = false;
                }
                else if (e != Kernel32.ERROR_IO_PENDING)
                {
                    release = true;
                }
            }
        }

        if (release)
        {
            m_read.Complete();
            return false;
        }

        {|OVL001:return m_connected;|}
    }
}");

        [Fact]
        public Task Correct_HidReader_EveryFailureSetsTheReleaseFlag() => Verify(@"
unsafe sealed class HidReader
{
    private readonly SafeFileHandle m_device;
    private readonly OverlappedSlot m_read = new OverlappedSlot();
    private readonly byte[] m_report = new byte[64];
    private bool m_connected = true;

    public bool Read()
    {
        bool release = false;
        m_read.StartOperation();
        fixed (byte* p = m_report)
        {
            if (Kernel32.ReadFile(m_device, p, m_report.Length, IntPtr.Zero, m_read.Native) == 0)
            {
                int e = Marshal.GetLastWin32Error();
                if (e == Kernel32.ERROR_DEVICE_NOT_CONNECTED)
                {
                    m_connected = false;
                    release = true;
                }
                else if (e != Kernel32.ERROR_IO_PENDING)
                {
                    release = true;
                }
            }
        }

        if (release)
        {
            m_read.Complete();
            return false;
        }

        return m_connected;
    }
}");

        [Fact]
        public Task Correct_SerialEventLoop_AbortedSetsStopFlagCompletedAfterTheLoop() => Verify(@"
unsafe sealed class SerialEvents
{
    private readonly SafeFileHandle m_port;
    private readonly OverlappedSlot m_wait = new OverlappedSlot();
    private volatile bool m_closing;

    public void Pump()
    {
        bool aborted = false;
        uint mask;
        while (!m_closing && !aborted)
        {
            m_wait.StartOperation();
            if (Kernel32.WaitCommEvent(m_port, &mask, m_wait.Native) == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error == Kernel32.ERROR_OPERATION_ABORTED)
                {
                    aborted = true;
                }
            }
        }

        if (aborted)
        {
            m_wait.Complete();
        }
    }
}");

        // ---- Pooled request objects: owner hand-off ----

        [Fact]
        public Task Correct_PooledRequest_EnqueuedBackOnFailure() => Verify(@"
unsafe sealed class FileServer
{
    private readonly SafeFileHandle m_file;
    private readonly ConcurrentQueue<IoRequest> m_pool = new ConcurrentQueue<IoRequest>();
    private readonly IErrorSink m_sink;

    public void Read()
    {
        if (!m_pool.TryDequeue(out var request))
        {
            request = new IoRequest();
        }

        request.Overlapped.StartOperation();
        fixed (byte* p = request.Buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, request.Buffer.Length, IntPtr.Zero, request.Overlapped.Native);
            uint err = Kernel32.GetLastError();
            if (ok == 0 && err != 997)
            {
                m_sink.OnError(err);
                m_pool.Enqueue(request);
                return;
            }
        }
    }
}");

        [Fact]
        public Task Leak_PooledRequest_AbortedPathForgetsToPutItBack() => Verify(@"
unsafe sealed class FileServer
{
    private readonly SafeFileHandle m_file;
    private readonly ConcurrentQueue<IoRequest> m_pool = new ConcurrentQueue<IoRequest>();

    public void Read(IoRequest request)
    {
        request.Overlapped.StartOperation();
        fixed (byte* p = request.Buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, request.Buffer.Length, IntPtr.Zero, request.Overlapped.Native);
            if (ok == 0)
            {
                int err = Marshal.GetLastWin32Error();
                if (err == Kernel32.ERROR_OPERATION_ABORTED)
                {
                    {|OVL001:return;|}
                }

                if (err != Kernel32.ERROR_IO_PENDING)
                {
                    m_pool.Enqueue(request);
                    return;
                }
            }
        }
    }
}");

        [Fact]
        public Task Correct_PooledRequest_PushedOnAStackOrReturnedToTheCaller() => Verify(@"
unsafe sealed class SocketServer
{
    private readonly SafeSocketHandle m_socket;
    private readonly Stack<IoRequest> m_free = new Stack<IoRequest>();

    public void Receive(IoRequest request, WSABuffer* buffers)
    {
        var flags = SocketFlags.None;
        request.Overlapped.StartOperation();
        var error = Winsock.WSARecv(m_socket, buffers, 1, out _, ref flags, request.Overlapped.Native, IntPtr.Zero);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            request.Error = (uint)error;
            lock (m_free)
            {
                m_free.Push(request);
            }
        }
    }

    public IoRequest TryReceive(IoRequest request, WSABuffer* buffers)
    {
        var flags = SocketFlags.None;
        request.Overlapped.StartOperation();
        var error = Winsock.WSARecv(m_socket, buffers, 1, out _, ref flags, request.Overlapped.Native, IntPtr.Zero);
        if (error == SocketError.SocketError && Marshal.GetLastWin32Error() != 997)
        {
            // The caller recycles a failed request.
            return request;
        }

        return null;
    }
}");

        [Fact]
        public Task Correct_RequestNativeFromAllocateNativeOverlapped_ParkedInASlotOnFailure() => Verify(@"
unsafe sealed class NativeRequest
{
    public NativeOverlapped* Native;
    public readonly byte[] Buffer = new byte[4096];
}

unsafe sealed class DiskQueue
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly NativeRequest[] m_failed = new NativeRequest[16];

    public void Submit(NativeRequest request, int slot, IOCompletionCallback callback)
    {
        request.Native = m_bound.AllocateNativeOverlapped(callback, request, request.Buffer);
        fixed (byte* p = request.Buffer)
        {
            if (Kernel32.ReadFile(m_file, p, request.Buffer.Length, IntPtr.Zero, request.Native) == 0
                && Marshal.GetLastWin32Error() != Kernel32.ERROR_IO_PENDING)
            {
                m_failed[slot] = request;
            }
        }
    }
}");

        [Fact]
        public Task Leak_RequestNativeFromAllocateNativeOverlapped_ThrowsWithTheRequestUnparked() => Verify(@"
unsafe sealed class NativeRequest
{
    public NativeOverlapped* Native;
    public readonly byte[] Buffer = new byte[4096];
}

unsafe sealed class DiskQueue
{
    private readonly SafeFileHandle m_file;
    private readonly ThreadPoolBoundHandle m_bound;

    public void Submit(NativeRequest request, IOCompletionCallback callback)
    {
        request.Native = m_bound.AllocateNativeOverlapped(callback, request, request.Buffer);
        fixed (byte* p = request.Buffer)
        {
            if (Kernel32.ReadFile(m_file, p, request.Buffer.Length, IntPtr.Zero, request.Native) == 0
                && Marshal.GetLastWin32Error() != Kernel32.ERROR_IO_PENDING)
            {
                {|OVL001:throw new IOException();|}
            }
        }
    }
}");

        // ---- OVL002 and OVL006 in the same idioms ----

        [Fact]
        public Task Leak_DuplexSocket_CompletesTheSendSlotAfterStartingTheReceive() => Verify(@"
unsafe sealed class Duplex
{
    private readonly IntPtr m_socket;
    private readonly OverlappedSlot m_receive = new OverlappedSlot();
    private readonly OverlappedSlot m_send = new OverlappedSlot();

    public bool Receive(WSABuffer* buffers)
    {
        m_receive.StartOperation();
        int rc = Winsock.WSASend(m_socket, buffers, 1, out _, SocketFlags.None, m_receive.Native, IntPtr.Zero);
        if (rc == Winsock.SOCKET_ERROR)
        {
            int error = Winsock.WSAGetLastError();
            if (error != Winsock.WSA_IO_PENDING)
            {
                {|OVL002:m_send.Complete()|};
                return false;
            }
        }

        return true;
    }
}");

        [Fact]
        public Task Leak_StartOperationAfterReadFileWasHandedTheSlot() => Verify(@"
unsafe sealed class Reader
{
    private readonly SafeFileHandle m_file;
    private readonly OverlappedSlot m_read = new OverlappedSlot();
    private readonly byte[] m_buffer = new byte[4096];

    public void Read()
    {
        fixed (byte* p = m_buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, m_buffer.Length, IntPtr.Zero, m_read.Native);
            {|OVL006:m_read.StartOperation()|};
            if (ok == 0 && Marshal.GetLastWin32Error() != Kernel32.ERROR_IO_PENDING)
            {
                m_read.Complete();
            }
        }
    }
}");

        [Fact]
        public Task Correct_StartOperationBeforeReadFile() => Verify(@"
unsafe sealed class Reader
{
    private readonly SafeFileHandle m_file;
    private readonly OverlappedSlot m_read = new OverlappedSlot();
    private readonly byte[] m_buffer = new byte[4096];

    public void Read()
    {
        m_read.StartOperation();
        fixed (byte* p = m_buffer)
        {
            int ok = Kernel32.ReadFile(m_file, p, m_buffer.Length, IntPtr.Zero, m_read.Native);
            if (ok == 0 && Marshal.GetLastWin32Error() != Kernel32.ERROR_IO_PENDING)
            {
                m_read.Complete();
            }
        }
    }
}");
    }
}
