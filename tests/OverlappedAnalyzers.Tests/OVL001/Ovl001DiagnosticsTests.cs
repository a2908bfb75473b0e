using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>Every shape RULES.md lists for OVL001 that must report.</summary>
    public class Ovl001DiagnosticsTests
    {
        private const string Usings = @"
using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
using NativeOverlapped = System.Threading.NativeOverlapped;
using ThreadPoolBoundHandle = System.Threading.ThreadPoolBoundHandle;
";

        private static Task Expect(string body, string? editorConfig = null, bool allowUnsafe = false) =>
            Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + body, editorConfig, allowUnsafe);

        [Fact]
        public Task SeedReceive_NestedNotEqualsThenThrow() => Expect(@"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private IntPtr m_handle;

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        SocketError socketError = Native.WSARecv(m_handle, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success)
        {
            socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.IOPending)
            {
                {|OVL001:throw new SocketException((int)socketError);|}
            }
        }
    }
}");

        [Fact]
        public Task SeedAccept_BoolResultThenErrorCheck() => Expect(@"
class Listener
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void Accept(IntPtr listener, IntPtr accepted)
    {
        m_inOverlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(listener, accepted, m_inOverlapped.Address))
        {
            var socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.IOPending)
            {
                {|OVL001:throw new SocketException((int)socketError);|}
            }
        }
        else
        {
            Native.PostCompletion(m_inOverlapped.Address);
        }
    }
}");

        [Fact]
        public Task ElseOfEqualsIoPending() => Expect(@"
class Socket
{
    private readonly Overlapped m_out = new Overlapped();

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        var error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (error == SocketError.Success || error == SocketError.IOPending)
        {
            return;
        }
        else
        {
            {|OVL001:throw new SocketException((int)error);|}
        }
    }
}");

        [Fact]
        public Task IsNotPattern_LiteralAndWin32Constant() => Expect(@"
class Socket
{
    private const int ERROR_IO_PENDING = 997;
    private readonly Overlapped m_in = new Overlapped();

    public void ReceiveA()
    {
        m_in.StartOperation(OperationType.Receive);
        Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        int error = Marshal.GetLastWin32Error();
        if (error is not ERROR_IO_PENDING)
        {
            {|OVL001:throw new SocketException(error);|}
        }
    }

    public void ReceiveB()
    {
        m_in.StartOperation(OperationType.Receive);
        Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (Native.GetLastError() != 997)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}");

        [Fact]
        public Task SwitchDefaultAndSpecificSection() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        switch (error)
        {
            case SocketError.Success:
            case SocketError.IOPending:
                break;
            case SocketError.ConnectionReset:
                {|OVL001:throw new SocketException((int)error);|}
            default:
                {|OVL001:throw new InvalidOperationException(error.ToString());|}
        }
    }
}");

        [Fact]
        public Task SwitchExpressionThrowArm() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public bool Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        return error switch
        {
            SocketError.Success => true,
            SocketError.IOPending => false,
            _ => {|OVL001:throw new SocketException((int)error)|},
        };
    }
}");

        [Fact]
        public Task ReturnValueOnFailure() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public bool TryReceive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            {|OVL001:return false;|}
        }

        return true;
    }
}");

        [Fact]
        public Task VoidReturnAndFallOffTheEnd() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void ReceiveReturns()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            Console.WriteLine(error);
            {|OVL001:return;|}
        }

        Console.WriteLine(""pending"");
    }

    public void ReceiveFallsOff()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:Console.WriteLine(error);|}
        }
    }

    public void ReceiveEmptyFailureBranch()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if ({|OVL001:error == SocketError.IOPending|})
        {
            return;
        }
    }
}");

        [Fact]
        public Task DoesNotReturnHelper() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:ThrowSocketError(error);|}
        }
    }

    [DoesNotReturn]
    private static void ThrowSocketError(SocketError error) => throw new SocketException((int)error);
}");

        [Fact]
        public Task RethrowFromCatchThatDoesNotComplete() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        try
        {
            var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
            if (error != SocketError.IOPending)
            {
                throw new SocketException((int)error);
            }
        }
        catch (SocketException)
        {
            Console.WriteLine(""failed"");
            {|OVL001:throw;|}
        }
    }
}");

        [Fact]
        public Task CatchThatSwallowsFallsOffTheEnd() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        try
        {
            var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
            if (error != SocketError.IOPending)
            {
                {|OVL001:throw new SocketException((int)error);|}
            }
        }
        catch (SocketException e)
        {
            Console.WriteLine(e.Message);
        }
    }
}");

        [Fact]
        public Task FieldChainOfOwner() => Expect(@"
class Socket
{
    internal readonly Overlapped m_inOverlapped = new Overlapped();
}

class Listener
{
    private Socket m_socket = new Socket();

    public void Accept()
    {
        m_socket.m_inOverlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_socket.m_inOverlapped.Address))
        {
            var error = Native.GetLastSocketError();
            if (error != SocketError.IOPending)
            {
                {|OVL001:throw new SocketException((int)error);|}
            }
        }
    }
}");

        [Fact]
        public Task LocalParameterAndAlias() => Expect(@"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void WithAlias()
    {
        var ov = m_inOverlapped;
        ov.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, ov.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:throw new SocketException((int)error);|}
        }
    }

    public static void WithParameter(Overlapped overlapped)
    {
        overlapped.StartOperation(OperationType.Send);
        var error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, overlapped.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:throw new SocketException((int)error);|}
        }
    }

    public static void WithLocal()
    {
        var overlapped = new Overlapped();
        overlapped.StartOperation(OperationType.Send);
        var error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, overlapped.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:throw new SocketException((int)error);|}
        }
    }
}");

        [Fact]
        public Task TypeWithoutComplete_UpstreamAsyncIO() => Expect(@"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }
    public void StartOperation(OperationType type) { InProgress = true; }
}

class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            {|OVL001:throw new SocketException((int)error);|}
        }
    }
}");

        [Fact]
        public Task TypeWithCompleteButNoOverlappedInName() => Expect(@"
class IoRequest
{
    public IntPtr Address { get; }
    public void StartOperation() { }
    public void Complete() { }
}

class Socket
{
    private readonly IoRequest m_request = new IoRequest();

    public void Receive()
    {
        m_request.StartOperation();
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_request.Address) is not SocketError.IOPending and not SocketError.Success)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}");

        [Fact]
        public Task ThreadPoolBoundHandlePair() => Expect(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public void Read()
    {
        NativeOverlapped* overlapped = m_handle.AllocateNativeOverlapped(null, null, null);
        int error = ReadFileNative(overlapped);
        if (error != 997)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }

    public void UnsafeRead()
    {
        NativeOverlapped* overlapped = m_handle.UnsafeAllocateNativeOverlapped(null, null, null);
        int error = ReadFileNative(overlapped);
        if (error != 997)
        {
            {|OVL001:return;|}
        }
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", allowUnsafe: true);

        [Fact]
        public Task OverlappedPackPair() => Expect(@"
unsafe class LegacyReader
{
    public void Read(System.Threading.Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        int error = ReadFileNative(packed);
        if (error != 997)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", allowUnsafe: true);

        [Fact]
        public Task ConfiguredPairFromEditorConfig() => Expect(@"
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
}", editorConfig: "overlapped_analyzers.operation_pairs = RingSlot.Submit:Retire");

        [Fact]
        public Task HelperThatDoesNotFinishIsNoFinish() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            Log(m_in);
            {|OVL001:throw new SocketException((int)error);|}
        }
    }

    private static void Log(Overlapped overlapped) => Console.WriteLine(overlapped.InProgress);
}");

        [Fact]
        public Task LambdaAndLocalFunctionHaveTheirOwnExits() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public Action Receive()
    {
        void Local()
        {
            m_in.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
            {
                {|OVL001:throw new InvalidOperationException();|}
            }
        }

        Local();
        return () =>
        {
            m_in.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
            {
                {|OVL001:throw new InvalidOperationException();|}
            }
        };
    }
}");

        [Fact]
        public Task FinallyThatDoesNotCompleteDoesNotHelp() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        try
        {
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
            {
                {|OVL001:throw new InvalidOperationException();|}
            }
        }
        finally
        {
            Console.WriteLine(""done"");
        }
    }
}");

        [Fact]
        public Task CatchOfUnrelatedTypeDoesNotCatch() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        try
        {
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
            {
                {|OVL001:throw new SocketException();|}
            }
        }
        catch (ObjectDisposedException)
        {
            m_in.Complete();
            throw;
        }
    }
}");

        [Fact]
        public Task AFailureThatFallsThrough_LeaksAtTheNextCallsThrow() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();
    private bool m_failed;

    public void ReceiveThenSend()
    {
        m_in.StartOperation(OperationType.Receive);
        SocketError error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_failed = true;
        }

        m_out.StartOperation(OperationType.Send);
        error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_out.Complete();
            {|OVL001:throw new SocketException((int)error);|}
        }
    }
}");

        [Fact]
        public Task WhileTrueRetryThatThrowsWithoutComplete_ReportsTheThrowOnly() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        while (true)
        {
            m_in.StartOperation(OperationType.Receive);
            var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
            if (error == SocketError.IOPending || error == SocketError.Success)
            {
                return;
            }

            if (error != SocketError.Interrupted)
            {
                {|OVL001:throw new SocketException((int)error);|}
            }
        }
    }
}");

        [Fact]
        public Task SwitchWithDefault_EveryNonPendingSectionLeaks() => Expect(@"
class Socket
{
    private const int WSA_IO_PENDING = 997;
    private const int WSAECONNRESET = 10054;
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
            case WSA_IO_PENDING:
                return;
            case WSAECONNRESET:
                Closed = true;
                {|OVL001:return;|}
            default:
                {|OVL001:throw new SocketException();|}
        }
    }
}");

        [Fact]
        public Task AHelperThatCompletesAnotherField_DoesNotFinishThisOne() => Expect(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public bool Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            AbortSend();
            {|OVL001:return false;|}
        }

        return true;
    }

    private void AbortSend() => m_out.Complete();
}");

        [Fact]
        public Task SwitchOnTheLastErrorInt_ASpecificErrorBeforeThePendingCaseLeaks() => Expect(@"
class Socket
{
    private readonly Overlapped m_out = new Overlapped();

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) == SocketError.Success)
        {
            return;
        }

        int error = Marshal.GetLastWin32Error();
        switch (error)
        {
            case 10054:
                {|OVL001:throw new ObjectDisposedException(""closed"");|}
            case 997:
                return;
            default:
                {|OVL001:throw new SocketException(error);|}
        }
    }
}");
    }
}
