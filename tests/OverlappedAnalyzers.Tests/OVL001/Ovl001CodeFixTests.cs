using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>Exact fixed code for every pair and exit kind; the framework also runs Fix All on each.</summary>
    public class Ovl001CodeFixTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
using NativeOverlapped = System.Threading.NativeOverlapped;
using ThreadPoolBoundHandle = System.Threading.ThreadPoolBoundHandle;
";

        private static Task Fix(string before, string after, string? editorConfig = null, bool allowUnsafe = false) =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Usings + before, Usings + after, editorConfig, allowUnsafe);

        [Fact]
        public Task CompleteBeforeThrow_GoesAboveTheCommentThatDescribesTheThrow() => Fix(@"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        SocketError socketError = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success)
        {
            socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.IOPending)
            {
                // the request never reached the driver
                {|OVL001:throw new SocketException((int)socketError);|}
            }
        }
    }
}", @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        SocketError socketError = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success)
        {
            socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.IOPending)
            {
                m_inOverlapped.Complete();
                // the request never reached the driver
                throw new SocketException((int)socketError);
            }
        }
    }
}");

        [Fact]
        public Task IntResultAndLastError_FreeBeforeReturn_AndFlagGuardedExit() => Fix(@"
unsafe class Reader
{
    private readonly ThreadPoolBoundHandle m_bound;

    public bool Read()
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(null, null, null);
        int ok = ReadFile(overlapped);
        int err = Marshal.GetLastWin32Error();
        if (ok == 0 && err != 997)
        {
            {|OVL001:return false;|}
        }

        return true;
    }

    public bool Write()
    {
        bool failed = false;
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(null, null, null);
        if (ReadFile(overlapped) == 0 && Marshal.GetLastWin32Error() == 10054)
        {
            failed = true;
        }

        if (failed)
        {
            {|OVL001:return false;|}
        }

        return true;
    }

    [DllImport(""kernel32.dll"", SetLastError = true)]
    private static extern int ReadFile(NativeOverlapped* overlapped);
}", @"
unsafe class Reader
{
    private readonly ThreadPoolBoundHandle m_bound;

    public bool Read()
    {
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(null, null, null);
        int ok = ReadFile(overlapped);
        int err = Marshal.GetLastWin32Error();
        if (ok == 0 && err != 997)
        {
            m_bound.FreeNativeOverlapped(overlapped);
            return false;
        }

        return true;
    }

    public bool Write()
    {
        bool failed = false;
        NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(null, null, null);
        if (ReadFile(overlapped) == 0 && Marshal.GetLastWin32Error() == 10054)
        {
            failed = true;
        }

        if (failed)
        {
            m_bound.FreeNativeOverlapped(overlapped);
            return false;
        }

        return true;
    }

    [DllImport(""kernel32.dll"", SetLastError = true)]
    private static extern int ReadFile(NativeOverlapped* overlapped);
}", allowUnsafe: true);

        [Fact]
        public Task CompleteBeforeReturn_AndWrapsAnEmbeddedStatement() => Fix(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public bool TryReceive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
            {|OVL001:return false;|}
        return true;
    }
}", @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public bool TryReceive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            return false;
        }
        return true;
    }
}");

        [Fact]
        public Task CompleteAfterTheLastStatementOfAFallOffBranch() => Fix(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:Console.WriteLine(error);|}
        }
    }
}", @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            Console.WriteLine(error);
            m_in.Complete();
        }
    }
}");

        [Fact]
        public Task FixAll_EveryExitOfSeveralMethods() => Fix(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        switch (error)
        {
            case SocketError.Success:
            case SocketError.IOPending:
                return;
            case SocketError.ConnectionReset:
                {|OVL001:throw new SocketException((int)error);|}
            default:
                {|OVL001:throw new InvalidOperationException();|}
        }
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) is not (SocketError.Success or SocketError.IOPending))
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}", @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        switch (error)
        {
            case SocketError.Success:
            case SocketError.IOPending:
                return;
            case SocketError.ConnectionReset:
                m_in.Complete();
                throw new SocketException((int)error);
            default:
                m_in.Complete();
                throw new InvalidOperationException();
        }
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) is not (SocketError.Success or SocketError.IOPending))
        {
            m_out.Complete();
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task FreeNativeOverlappedBeforeThrow() => Fix(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public void Read()
    {
        NativeOverlapped* overlapped = m_handle.AllocateNativeOverlapped(null, null, null);
        if (ReadFileNative(overlapped) != 997)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", @"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public void Read()
    {
        NativeOverlapped* overlapped = m_handle.AllocateNativeOverlapped(null, null, null);
        if (ReadFileNative(overlapped) != 997)
        {
            m_handle.FreeNativeOverlapped(overlapped);
            throw new InvalidOperationException();
        }
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", allowUnsafe: true);

        [Fact]
        public Task OverlappedFreeBeforeReturn() => Fix(@"
unsafe class LegacyReader
{
    public bool Read(System.Threading.Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        if (ReadFileNative(packed) != 997)
        {
            {|OVL001:return false;|}
        }

        return true;
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", @"
unsafe class LegacyReader
{
    public bool Read(System.Threading.Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        if (ReadFileNative(packed) != 997)
        {
            System.Threading.Overlapped.Free(packed);
            return false;
        }

        return true;
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", allowUnsafe: true);

        [Fact]
        public Task ConfiguredPairFinish() => Fix(@"
class RingSlot
{
    public IntPtr Address { get; }
    public void Submit() { }
    public void Retire() { }
}

class Ring
{
    private readonly RingSlot m_slot = new RingSlot();

    public void Send()
    {
        m_slot.Submit();
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_slot.Address) != SocketError.IOPending)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}", @"
class RingSlot
{
    public IntPtr Address { get; }
    public void Submit() { }
    public void Retire() { }
}

class Ring
{
    private readonly RingSlot m_slot = new RingSlot();

    public void Send()
    {
        m_slot.Submit();
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_slot.Address) != SocketError.IOPending)
        {
            m_slot.Retire();
            throw new InvalidOperationException();
        }
    }
}", editorConfig: "overlapped_analyzers.operation_pairs = RingSlot.Submit:Retire");

        [Fact]
        public Task UpstreamTypeWithoutComplete_GainsOneThatClearsTheFlag_FixAllAddsItOnce() => Fix(@"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        InProgress = true;
    }
}

class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();
    private readonly UpstreamOverlapped m_out = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) != SocketError.IOPending)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}", @"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        InProgress = true;
    }

    public void Complete()
    {
        InProgress = false;
    }
}

class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();
    private readonly UpstreamOverlapped m_out = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_in.Complete();
            throw new InvalidOperationException();
        }
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) != SocketError.IOPending)
        {
            m_out.Complete();
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task VoidReturnInASwitchSection_CompletesBeforeThatReturn() => Fix(@"
class Socket
{
    private readonly Overlapped m_out = new Overlapped();

    public bool Closed { get; private set; }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        SocketError rc = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (rc == SocketError.Success)
        {
            return;
        }

        switch (Native.GetLastError())
        {
            case 997:
                return;
            case 10054:
                Closed = true;
                {|OVL001:return;|}
            default:
                {|OVL001:throw new SocketException();|}
        }
    }
}", @"
class Socket
{
    private readonly Overlapped m_out = new Overlapped();

    public bool Closed { get; private set; }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        SocketError rc = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (rc == SocketError.Success)
        {
            return;
        }

        switch (Native.GetLastError())
        {
            case 997:
                return;
            case 10054:
                Closed = true;
                m_out.Complete();
                return;
            default:
                m_out.Complete();
                throw new SocketException();
        }
    }
}");
    }
}
