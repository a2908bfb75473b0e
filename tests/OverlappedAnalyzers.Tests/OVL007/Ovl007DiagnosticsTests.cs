using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL007
{
    public class Ovl007DiagnosticsTests
    {
        private static Task Check(string body) =>
            Verify<PrematureReleaseAnalyzer>.DiagnosticsAsync(Ovl007Sources.Wrap(body), allowUnsafe: true);

        [Fact]
        public Task ThreadPoolBoundHandle_FreedOnFalse_BeforeAsking997() => Check(@"
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
                {|OVL007:m_handle.FreeNativeOverlapped(native)|};
                throw new IOException(""read failed"");
            }
        }
    }
}");

        [Fact]
        public Task Winsock_ThrowsOnSocketError_BeforeAsking997() => Check(@"
unsafe class Connection
{
    private IntPtr m_socket;
    private IntPtr m_buffers;
    private NativeOverlapped* m_receive;

    public void Receive()
    {
        var flags = SocketFlags.None;
        if (Ws2.WSARecv(m_socket, m_buffers, 1, out _, ref flags, m_receive, IntPtr.Zero) == Ws2.SOCKET_ERROR)
        {
            {|OVL007:throw new SocketException(Ws2.WSAGetLastError());|}
        }
    }
}");

        [Fact]
        public Task ResultInAnIntLocal_BufferFreedOnZero() => Check(@"
unsafe class FileWriter
{
    private readonly IntPtr m_file;

    public void Write(byte[] data)
    {
        var overlapped = new System.Threading.Overlapped();
        NativeOverlapped* native = overlapped.Pack((e, n, p) => System.Threading.Overlapped.Free(p), null);
        IntPtr buffer = Marshal.AllocHGlobal(data.Length);
        Marshal.Copy(data, 0, buffer, data.Length);
        int ok = Kernel32.WriteFile(m_file, buffer, data.Length, IntPtr.Zero, native);
        if (ok == 0)
        {
            {|OVL007:Marshal.FreeHGlobal(buffer)|};
            System.Threading.Overlapped.Free(native);
            return;
        }
    }
}");

        [Fact]
        public Task KnownPending_FreedInFinally() => Check(@"
unsafe class Device
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_device;

    public void Query()
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        try
        {
            if (!Kernel32.DeviceIoControl(m_device, 0x90000, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, native))
            {
                if (Marshal.GetLastWin32Error() == Kernel32.ERROR_IO_PENDING)
                {
                    return;
                }

                throw new IOException();
            }
        }
        finally
        {
            {|OVL007:m_handle.FreeNativeOverlapped(native)|};
        }
    }
}");

        [Fact]
        public Task ConventionReceiver_CompletedOnFalse_ThroughADelegate() => Check(@"
class Listener
{
    private readonly Io.Overlapped m_in = new Io.Overlapped();
    private readonly AcceptExDelegate m_acceptEx = null!;
    private IntPtr m_listener;
    private IntPtr m_accepted;
    private IntPtr m_buffer;

    public void Accept()
    {
        m_in.StartOperation(OperationType.Accept);
        if (!m_acceptEx(m_listener, m_accepted, m_buffer, 0, 32, 32, out _, m_in.Address))
        {
            {|OVL007:m_in.Complete()|};
            throw new SocketException();
        }
    }
}");

        [Fact]
        public Task SocketErrorResult_CombinedWithAnd_AlwaysThrowingHelper() => Check(@"
class Sender
{
    private readonly Io.Overlapped m_out = new Io.Overlapped();
    private IntPtr m_socket;
    private IntPtr m_buffers;
    private bool m_open = true;

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Ws2.WSASend(m_socket, m_buffers, 1, out _, SocketFlags.None, m_out.Address, IntPtr.Zero) == SocketError.SocketError && m_open)
        {
            {|OVL007:Fail();|}
        }
    }

    private static void Fail()
    {
        var error = Ws2.WSAGetLastError();
        throw new SocketException(error);
    }
}");

        [Fact]
        public Task DisposedWhilePendingIsKnown_AfterBoolLocal() => Check(@"
unsafe class Sink
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public void Read(byte* data, int length, Io.Overlapped holder)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        bool ok = Kernel32.ReadFile(m_file, data, length, IntPtr.Zero, native);
        int error = Marshal.GetLastWin32Error();
        if (!ok && error == Kernel32.ERROR_IO_PENDING)
        {
            {|OVL007:m_handle.FreeNativeOverlapped(native)|};
        }
    }
}");

        [Fact]
        public Task FieldFilledByPackWithCallbackInAnotherMember() => Check(@"
unsafe class Watcher
{
    private NativeOverlapped* m_native;
    private readonly IntPtr m_file;
    private readonly byte[] m_buffer = new byte[4096];

    public Watcher()
    {
        m_native = new System.Threading.Overlapped().Pack(OnCompleted, m_buffer);
    }

    public void Read()
    {
        fixed (byte* data = m_buffer)
        {
            if (Kernel32.ReadFile(m_file, data, m_buffer.Length, IntPtr.Zero, m_native) == false)
            {
                {|OVL007:System.Threading.Overlapped.Free(m_native)|};
            }
        }
    }

    private static void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* native) { }
}");
    }
}
