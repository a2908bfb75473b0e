using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>
    /// RULES.md "Error values and call results": only an error value (GetLastError and friends, a local read from one,
    /// a SocketError) says whether the call is pending; the BOOL/int result of the I/O call itself says nothing, in either
    /// direction. Each shape that must report has a correct twin that must stay silent.
    /// </summary>
    public class Ovl001ErrorValueTests
    {
        private const string Prelude = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;

static class Win32
{
    public const int ERROR_IO_PENDING = 997;
    public const int SOCKET_ERROR = -1;

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern uint ReadFile(IntPtr file, IntPtr buffer, uint count, IntPtr read, IntPtr overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static extern bool DeviceIoControl(IntPtr device, uint code, IntPtr input, int inputSize, IntPtr output, int outputSize, IntPtr returned, IntPtr overlapped);

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern int WSARecv(IntPtr socket, IntPtr buffers, int count, IntPtr received, ref int flags, IntPtr overlapped, IntPtr routine);

    [DllImport(""kernel32.dll"")]
    public static extern uint GetLastError();

    [DllImport(""ws2_32.dll"")]
    public static extern int WSAGetLastError();
}

interface ISink
{
    void Fail(uint error);
}
";

        private static Task Verify(string body) => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Prelude + body);

        [Fact]
        public Task UintResultEqualsZeroAndErrorNotPending_Reports() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public void Read(IntPtr handle, IntPtr buffer, ISink sink)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (ok == 0 && err != 997)
        {
            sink.Fail(err);
            {|OVL001:return;|}
        }
    }
}");

        [Fact]
        public Task UintResultEqualsZeroAndErrorNotPending_FallingOff_ReportsTheBranchsLastStatement() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public void Read(IntPtr handle, IntPtr buffer, ISink sink)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (ok == 0 && err != 997)
        {
            {|OVL001:sink.Fail(err);|}
        }
    }
}");

        [Fact]
        public Task ErrorFirstThenResult_EitherOrderOfAnd_Reports() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public void Read(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (err != Win32.ERROR_IO_PENDING && ok == 0)
        {
            {|OVL001:throw new System.ComponentModel.Win32Exception((int)err);|}
        }
    }
}");

        [Fact]
        public Task CallEqualsZeroInsideTheCondition_Reports() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public void Read(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        if (Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address) == 0 && Marshal.GetLastWin32Error() != Win32.ERROR_IO_PENDING)
        {
            {|OVL001:throw new System.ComponentModel.Win32Exception();|}
        }
    }
}");

        [Fact]
        public Task NotOfABoolCall_AndEqualsFalse_Report() => Verify(@"
class Device
{
    private readonly Overlapped m_ioctl = new Overlapped();

    public bool QueryA(IntPtr device)
    {
        m_ioctl.StartOperation(OperationType.Receive);
        if (!Win32.DeviceIoControl(device, 0x220000, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, m_ioctl.Address))
        {
            if (Marshal.GetLastWin32Error() != Win32.ERROR_IO_PENDING)
            {
                {|OVL001:return false;|}
            }
        }

        return true;
    }

    public bool QueryB(IntPtr device)
    {
        m_ioctl.StartOperation(OperationType.Receive);
        if (Win32.DeviceIoControl(device, 0x220000, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, m_ioctl.Address) == false)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != Win32.ERROR_IO_PENDING)
            {
                {|OVL001:return false;|}
            }
        }

        return true;
    }
}");

        [Fact]
        public Task SocketErrorMinusOneThenWsaGetLastError_Reports() => Verify(@"
class Connection
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive(IntPtr socket, IntPtr buffers)
    {
        int flags = 0;
        m_in.StartOperation(OperationType.Receive);
        int rc = Win32.WSARecv(socket, buffers, 1, IntPtr.Zero, ref flags, m_in.Address, IntPtr.Zero);
        if (rc == Win32.SOCKET_ERROR)
        {
            int error = Win32.WSAGetLastError();
            if (error != 997)
            {
                {|OVL001:throw new SocketException(error);|}
            }
        }
    }
}");

        [Fact]
        public Task OrOfSuccessResultAndPendingError_EitherOrder_Reports() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public void ReadA(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (ok != 0 || err == 997)
        {
            return;
        }

        {|OVL001:throw new System.ComponentModel.Win32Exception((int)err);|}
    }

    public void ReadB(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (err == 997 || ok != 0)
        {
            return;
        }

        {|OVL001:throw new System.ComponentModel.Win32Exception((int)err);|}
    }
}");

        [Fact]
        public Task BoolResultTestedWithIsPatterns_SuccessSideIsNoFailure_Reports() => Verify(@"
class Device
{
    private readonly Overlapped m_ioctl = new Overlapped();

    public bool QueryA(IntPtr device)
    {
        m_ioctl.StartOperation(OperationType.Receive);
        bool ok = Win32.DeviceIoControl(device, 1, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, m_ioctl.Address);
        int err = Marshal.GetLastWin32Error();
        if (err == 997 || ok is true)
        {
            return true;
        }

        {|OVL001:return false;|}
    }

    public bool QueryB(IntPtr device)
    {
        m_ioctl.StartOperation(OperationType.Receive);
        bool ok = Win32.DeviceIoControl(device, 1, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, m_ioctl.Address);
        int err = Marshal.GetLastWin32Error();
        if (err != 997 && ok is not true)
        {
            {|OVL001:return false;|}
        }

        return true;
    }
}");

        [Fact]
        public Task NestedIfOnIntResultThenError_Reports() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public bool Read(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        if (ok == 0)
        {
            uint err = Win32.GetLastError();
            if (err != 997)
            {
                {|OVL001:return false;|}
            }
        }

        return true;
    }
}");

        [Fact]
        public Task IfResultElseIfErrorNotPending_BoolAndInt_Report() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();
    private readonly Overlapped m_ioctl = new Overlapped();

    public int Read(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (ok != 0)
        {
            return 1;
        }
        else if (err != 997)
        {
            {|OVL001:return -1;|}
        }

        return 0;
    }

    public int Query(IntPtr device)
    {
        m_ioctl.StartOperation(OperationType.Receive);
        bool ok = Win32.DeviceIoControl(device, 1, IntPtr.Zero, 0, IntPtr.Zero, 0, IntPtr.Zero, m_ioctl.Address);
        int err = Marshal.GetLastWin32Error();
        if (ok)
        {
            return 1;
        }
        else if (err != 997)
        {
            {|OVL001:return -1;|}
        }

        return 0;
    }
}");

        [Fact]
        public Task IntResultChecks_WithTheCompleteOnTheFailurePath_AreSilent() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public int Read(IntPtr handle, IntPtr buffer, ISink sink)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        uint err = Win32.GetLastError();
        if (ok == 0 && err != 997)
        {
            m_read.Complete();
            sink.Fail(err);
            return -1;
        }

        if (ok != 0)
        {
            return 1;
        }

        return 0;
    }
}");

        [Fact]
        public Task TheCallsResultAlone_SaysNothing_Silent() => Verify(@"
class File
{
    private readonly Overlapped m_read = new Overlapped();

    public bool Read(IntPtr handle, IntPtr buffer)
    {
        m_read.StartOperation(OperationType.Receive);
        uint ok = Win32.ReadFile(handle, buffer, 4096, IntPtr.Zero, m_read.Address);
        if (ok == 0)
        {
            // FALSE: failed or pending; whoever reads the port finds out which.
            return false;
        }

        return true;
    }
}");

        [Fact]
        public Task ReturnedErrorCodeComparedWithPending_IsAnErrorValue() => Verify(@"
class Listener
{
    private readonly Overlapped m_receive = new Overlapped();

    public bool Receive(IntPtr queue)
    {
        m_receive.StartOperation(OperationType.Receive);
        uint statusCode = HttpReceiveHttpRequest(queue, m_receive.Address);
        if (statusCode == 0)
        {
            return true;
        }

        if (statusCode != 997)
        {
            {|OVL001:return false;|}
        }

        return true;
    }

    public bool ReceiveCorrect(IntPtr queue)
    {
        m_receive.StartOperation(OperationType.Receive);
        uint statusCode = HttpReceiveHttpRequest(queue, m_receive.Address);
        if (statusCode != 0 && statusCode != 997)
        {
            m_receive.Complete();
            return false;
        }

        return true;
    }

    [DllImport(""httpapi.dll"")]
    private static extern uint HttpReceiveHttpRequest(IntPtr queue, IntPtr overlapped);
}");
    }
}
