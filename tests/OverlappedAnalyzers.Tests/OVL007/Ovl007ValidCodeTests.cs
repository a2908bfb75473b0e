using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL007
{
    public class Ovl007ValidCodeTests
    {
        private static Task Check(string body) =>
            Verify<PrematureReleaseAnalyzer>.DiagnosticsAsync(Ovl007Sources.Wrap(body), allowUnsafe: true);

        [Fact]
        public Task Asks997First_FreesAndThrowsOnlyWhenNotPending() => Check(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public void Read(byte[] buffer)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, buffer);
        fixed (byte* data = buffer)
        {
            if (!Kernel32.ReadFile(m_file, data, buffer.Length, IntPtr.Zero, native))
            {
                int error = Marshal.GetLastWin32Error();
                if (error != Kernel32.ERROR_IO_PENDING)
                {
                    m_handle.FreeNativeOverlapped(native);
                    throw new IOException(""read failed: "" + error);
                }
            }
        }
    }

    public void Receive(IntPtr socket, IntPtr buffers, NativeOverlapped* receive)
    {
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(socket, buffers, 1, out _, ref flags, receive, IntPtr.Zero) == Ws2.SOCKET_ERROR
            && Ws2.WSAGetLastError() != Ws2.WSA_IO_PENDING)
        {
            throw new SocketException(Ws2.WSAGetLastError());
        }
    }
}");

        [Fact]
        public Task WaitsForTheCompletionFirst() => Check(@"
unsafe class SyncOverAsync
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;
    private readonly ManualResetEvent m_done = new ManualResetEvent(false);

    public int Read(byte* data, int length)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        try
        {
            if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, native))
            {
                Kernel32.GetOverlappedResult(m_file, native, out var transferred, true);
                return transferred;
            }

            return length;
        }
        finally
        {
            m_handle.FreeNativeOverlapped(native);
        }
    }

    public void Receive(IntPtr socket, IntPtr buffers)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(socket, buffers, 1, out _, ref flags, native, IntPtr.Zero) == Ws2.SOCKET_ERROR)
        {
            m_done.WaitOne();
            m_handle.FreeNativeOverlapped(native);
        }
    }
}");

        [Fact]
        public Task SynchronousHandle_StackOverlapped_AndPackWithoutCallback() => Check(@"
unsafe class OffsetReader
{
    private readonly IntPtr m_file;

    public void ReadAt(byte* data, int length, long offset)
    {
        NativeOverlapped overlapped = default;
        overlapped.OffsetLow = (int)offset;
        overlapped.OffsetHigh = (int)(offset >> 32);
        if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, &overlapped))
        {
            throw new IOException();
        }
    }

    public void ReadPacked(byte* data, int length)
    {
        NativeOverlapped* native = new System.Threading.Overlapped().Pack(null, null);
        if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, native))
        {
            System.Threading.Overlapped.Free(native);
            throw new IOException();
        }

        System.Threading.Overlapped.Free(native);
    }
}");

        [Fact]
        public Task HelperThatAsks997_ReturnsQuietlyOnPending() => Check(@"
class Receiver
{
    private readonly Io.Overlapped m_in = new Io.Overlapped();
    private IntPtr m_socket;
    private IntPtr m_buffers;

    public void Send()
    {
        m_in.StartOperation(OperationType.Send);
        if (Ws2.WSASend(m_socket, m_buffers, 1, out _, SocketFlags.None, m_in.Address, IntPtr.Zero) == SocketError.SocketError)
        {
            ThrowLastWSAError();
        }
    }

    private static void ThrowLastWSAError()
    {
        var error = Ws2.WSAGetLastError();
        if (error == Ws2.WSA_IO_PENDING)
        {
            return;
        }

        throw new SocketException(error);
    }
}");

        [Fact]
        public Task NotAnIoCall_ReadDirectoryChanges_GetOverlappedResult_CancelIoEx() => Check(@"
unsafe class Watcher
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_directory;

    public void Watch(IntPtr buffer)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        if (!Kernel32.ReadDirectoryChangesW(m_directory, buffer, 4096, true, 1, IntPtr.Zero, native, IntPtr.Zero))
        {
            m_handle.FreeNativeOverlapped(native);
            throw new IOException();
        }
    }

    public void Poll(NativeOverlapped* native)
    {
        if (!Kernel32.GetOverlappedResult(m_directory, native, out _, false) || !Kernel32.CancelIoEx(m_directory, native))
        {
            m_handle.FreeNativeOverlapped(native);
            throw new IOException();
        }
    }
}");

        [Fact]
        public Task FlagGuardedFinally_PooledRequest_AndSuccessPath() => Check(@"
sealed unsafe class Request
{
    public NativeOverlapped* Native;
}

unsafe class Pooled
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;
    private readonly System.Collections.Generic.Stack<Request> m_pool = new System.Collections.Generic.Stack<Request>();

    public void Read(byte* data, int length)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        var pending = false;
        try
        {
            if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, native))
            {
                if (Marshal.GetLastWin32Error() == Kernel32.ERROR_IO_PENDING)
                {
                    pending = true;
                    return;
                }

                throw new IOException();
            }
        }
        finally
        {
            if (!pending)
            {
                m_handle.FreeNativeOverlapped(native);
            }
        }
    }

    public void ReadPooled(Request request, byte* data, int length)
    {
        if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, request.Native))
        {
            var error = Marshal.GetLastWin32Error();
            if (error != Kernel32.ERROR_IO_PENDING)
            {
                m_pool.Push(request);
                throw new IOException(error.ToString());
            }
        }
    }
}");

        [Fact]
        public Task CallIsNotHandedAnOverlapped_OrIsNotNative() => Check(@"
unsafe class Plain
{
    private readonly IntPtr m_file;

    public void Read(byte* data, int length)
    {
        if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, null))
        {
            throw new IOException();
        }
    }

    public void Managed(Io.Overlapped overlapped)
    {
        overlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, overlapped.Address) == SocketError.SocketError)
        {
            overlapped.Complete();
            throw new SocketException();
        }
    }
}");

        [Fact]
        public Task ResultLocalReusedForTheError_AsThePackageSampleDoes() => Check(@"
class Receiver
{
    private readonly Io.Overlapped m_in = new Io.Overlapped();
    private IntPtr m_socket;

    public void Receive(IntPtr buffers)
    {
        m_in.StartOperation(OperationType.Receive);
        SocketError socketError = Ws2.WSASend(m_socket, buffers, 1, out _, SocketFlags.None, m_in.Address, IntPtr.Zero);
        if (socketError != SocketError.Success)
        {
            socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.Success)
            {
                if (socketError != SocketError.IOPending)
                {
                    m_in.Complete();
                    throw new SocketException((int)socketError);
                }
            }
        }
    }
}");
    }
}
