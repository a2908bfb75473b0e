using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL007
{
    /// <summary>The other I/O calls, releases and exits OVL007 knows, one realistic shape each.</summary>
    public class Ovl007ShapesTests
    {
        private const string MoreNative = @"
static unsafe class Kernel32More
{
    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool ConnectNamedPipe(IntPtr pipe, NativeOverlapped* overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern int LockFileEx(IntPtr file, int flags, int reserved, int lengthLow, int lengthHigh, NativeOverlapped* overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool WaitCommEvent(IntPtr port, out int mask, NativeOverlapped* overlapped);

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern int WSAIoctl(IntPtr socket, int code, IntPtr input, int inputLength, IntPtr output, int outputLength, out int returned, NativeOverlapped* overlapped, IntPtr routine);

    [DllImport(""mswsock.dll"", SetLastError = true)]
    public static extern bool TransmitFile(IntPtr socket, IntPtr file, int bytes, int perSend, NativeOverlapped* overlapped, IntPtr buffers, int flags);
}

unsafe delegate bool LPFN_DISCONNECTEX(IntPtr socket, NativeOverlapped* overlapped, int flags, int reserved);

static class Throw
{
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Win32(int error) => throw new System.ComponentModel.Win32Exception(error);
}
";

        private static Task Check(string body, string? editorConfig = null) =>
            Verify<PrematureReleaseAnalyzer>.DiagnosticsAsync(Ovl007Sources.Wrap(body + MoreNative), editorConfig, allowUnsafe: true);

        [Fact]
        public Task PipeLockAndCommCalls_ReleaseOrThrowOnFalse() => Check(@"
unsafe class Devices
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public void Serve(IntPtr pipe)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        if (!Kernel32More.ConnectNamedPipe(pipe, native))
        {
            {|OVL007:m_handle.FreeNativeOverlapped(native)|};
        }
    }

    public void Lock(IntPtr file)
    {
        NativeOverlapped* native = m_handle.UnsafeAllocateNativeOverlapped((e, n, p) => { }, null, null);
        if (Kernel32More.LockFileEx(file, 2, 0, 1, 0, native) == 0)
        {
            {|OVL007:Throw.Win32(Marshal.GetLastWin32Error());|}
        }
    }

    public void Watch(IntPtr port)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        bool queued = Kernel32More.WaitCommEvent(port, out _, native);
        if (queued is false)
        {
            {|OVL007:throw new IOException();|}
        }
    }
}");

        [Fact]
        public Task WinsockIoctlTransmitAndDisconnect_OnAStackOrFieldOverlapped() => Check(@"
unsafe class Control
{
    private NativeOverlapped* m_native;
    private readonly LPFN_DISCONNECTEX m_disconnectEx = null!;

    public void Query(IntPtr socket, IntPtr output)
    {
        NativeOverlapped overlapped = default;
        if (Kernel32More.WSAIoctl(socket, 1, IntPtr.Zero, 0, output, 64, out _, &overlapped, IntPtr.Zero) != 0)
        {
            {|OVL007:Marshal.FreeHGlobal(output)|};
        }
    }

    public void Transmit(IntPtr socket, IntPtr file)
    {
        if (!Kernel32More.TransmitFile(socket, file, 0, 0, m_native, IntPtr.Zero, 0) || socket == IntPtr.Zero)
        {
            {|OVL007:throw new SocketException();|}
        }
    }

    public void Disconnect(IntPtr socket)
    {
        if (!m_disconnectEx(socket, m_native, 0, 0))
        {
            {|OVL007:System.Threading.Overlapped.Free(m_native)|};
        }
    }
}");

        [Fact]
        public Task PinnedBufferFreed_AndOverlappedDisposed_OnFailure() => Check(@"
unsafe class Reader
{
    private readonly Io.Overlapped m_in = new Io.Overlapped();
    private IntPtr m_socket;

    public void Receive(byte[] data)
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        m_in.StartOperation(OperationType.Receive);
        var flags = SocketFlags.None;
        if (Ws2.WSASend(m_socket, pin.AddrOfPinnedObject(), 1, out _, flags, m_in.Address, IntPtr.Zero) == SocketError.SocketError)
        {
            {|OVL007:pin.Free()|};
            m_in.Complete();
        }
    }

    public void Abort(IntPtr socket, IntPtr buffers)
    {
        var overlapped = new Io.Overlapped();
        overlapped.StartOperation(OperationType.Send);
        var error = Ws2.WSASend(socket, buffers, 1, out _, SocketFlags.None, overlapped.Address, IntPtr.Zero);
        if (error != SocketError.Success)
        {
            {|OVL007:overlapped.Dispose()|};
        }
    }

    public void Native(IntPtr socket, ThreadPoolBoundHandle handle)
    {
        byte* block = (byte*)NativeMemory.Alloc(512);
        NativeOverlapped* native = handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(socket, (IntPtr)block, 1, out _, ref flags, native, IntPtr.Zero) == -1)
        {
            {|OVL007:NativeMemory.Free(block)|};
        }
    }
}");

        [Fact]
        public Task ThrowCaughtInTheMethod_CatchFrees() => Check(@"
unsafe class Guarded
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public void Read(byte* data, int length)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        try
        {
            if (!Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, native))
            {
                throw new IOException();
            }
        }
        catch (IOException)
        {
            {|OVL007:m_handle.FreeNativeOverlapped(native)|};
            throw;
        }
    }
}");

        [Fact]
        public Task ConfiguredPair_Finished() => Check(
            @"
sealed class IoRequest
{
    public IntPtr Native;
    public void Begin() { }
    public void End() { }
}

class Client
{
    private readonly IoRequest m_request = new IoRequest();
    private IntPtr m_socket;
    private IntPtr m_buffers;

    public void Send()
    {
        m_request.Begin();
        if (Ws2.WSASend(m_socket, m_buffers, 1, out _, SocketFlags.None, m_request.Native, IntPtr.Zero) == SocketError.SocketError)
        {
            {|OVL007:m_request.End()|};
        }
    }
}",
            "overlapped_analyzers.operation_pairs = IoRequest.Begin:End");

        [Fact]
        public Task Silent_WaitsThroughWSAGetOverlappedResult_AndKnownPendingWithoutRelease() => Check(@"
unsafe class Waiting
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public int Receive(IntPtr socket, IntPtr buffers)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(socket, buffers, 1, out var received, ref flags, native, IntPtr.Zero) == Ws2.SOCKET_ERROR)
        {
            if (Ws2.WSAGetLastError() != Ws2.WSA_IO_PENDING)
            {
                m_handle.FreeNativeOverlapped(native);
                throw new SocketException();
            }

            Ws2.WSAGetOverlappedResult(socket, native, out received, true, out flags);
        }

        m_handle.FreeNativeOverlapped(native);
        return received;
    }

    public void Post(IntPtr socket, IntPtr buffers)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(socket, buffers, 1, out _, ref flags, native, IntPtr.Zero) == Ws2.SOCKET_ERROR)
        {
            int error = Ws2.WSAGetLastError();
            switch (error)
            {
                case Ws2.WSA_IO_PENDING:
                    return;
                default:
                    m_handle.FreeNativeOverlapped(native);
                    throw new SocketException(error);
            }
        }
    }
}");
    }
}
