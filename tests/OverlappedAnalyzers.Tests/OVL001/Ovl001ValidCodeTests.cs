using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>Correct code that must stay silent: a false positive is a bug.</summary>
    public class Ovl001ValidCodeTests
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

        private static Task Silent(string body, string? editorConfig = null, bool allowUnsafe = false) =>
            Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + body, editorConfig, allowUnsafe);

        [Fact]
        public Task CompleteBeforeThrow_TheCorrectSeedFix() => Silent(@"
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
                throw new SocketException((int)socketError);
            }
        }
    }
}");

        [Fact]
        public Task SuccessAndPendingPathsAreNotFailures() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error == SocketError.IOPending)
        {
            return;
        }

        if (error == SocketError.Success)
        {
            Native.PostCompletion(m_in.Address);
            return;
        }

        m_in.Complete();
        throw new SocketException((int)error);
    }

    public bool ReceivePending()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error is SocketError.IOPending or SocketError.Success)
        {
            return true;
        }

        m_in.Complete();
        return false;
    }
}");

        [Fact]
        public Task FinishInFinallyOrCatch() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private bool m_pending;

    public void ReceiveFinally()
    {
        m_in.StartOperation(OperationType.Receive);
        try
        {
            var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
            m_pending = error == SocketError.IOPending;
            if (error != SocketError.IOPending)
            {
                throw new SocketException((int)error);
            }
        }
        finally
        {
            if (!m_pending)
            {
                m_in.Complete();
            }
        }
    }

    public void ReceiveCatch()
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
        catch
        {
            m_in.Complete();
            throw;
        }
    }
}");

        [Fact]
        public Task UnrelatedStartOperation_TelemetryClient() => Silent(@"
class OperationHolder : IDisposable { public void Dispose() { } }

class TelemetryClient
{
    public OperationHolder StartOperation(string name) => new OperationHolder();
}

class Handler
{
    private readonly TelemetryClient m_telemetry = new TelemetryClient();

    public void Handle(int error)
    {
        var operation = m_telemetry.StartOperation(""handle"");
        if (error != 997)
        {
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task MethodWithoutFailureCheck() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        throw new NotSupportedException();
    }
}");

        [Fact]
        public Task FailureCheckBeforeTheStart() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive(SocketError previous)
    {
        if (previous != SocketError.IOPending)
        {
            throw new SocketException((int)previous);
        }

        m_in.StartOperation(OperationType.Receive);
        Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
    }
}");

        [Fact]
        public Task HelperThatCompletesItsArgumentOrItself() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void ReceiveA()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            FailOperation(m_in);
            throw new SocketException((int)error);
        }
    }

    private static void FailOperation(Overlapped overlapped)
    {
        Console.WriteLine(""failed"");
        overlapped.Complete();
    }
}");

        [Fact]
        public Task AliasCompletedThroughTheField() => Silent(@"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void Receive()
    {
        var ov = m_inOverlapped;
        ov.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, ov.Address);
        if (error != SocketError.IOPending)
        {
            m_inOverlapped.Complete();
            throw new SocketException((int)error);
        }
    }
}");

        [Fact]
        public Task FailureHandedToThePort() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            // The completion handler completes it and reports the error.
            Native.PostCompletion(m_in.Address);
            return;
        }
    }
}");

        [Fact]
        public Task NativeOverlappedFreedOnFailure() => Silent(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public void Read()
    {
        NativeOverlapped* overlapped = m_handle.AllocateNativeOverlapped(null, null, null);
        int error = ReadFileNative(overlapped);
        if (error != 997)
        {
            m_handle.FreeNativeOverlapped(overlapped);
            throw new InvalidOperationException();
        }
    }

    public void Pack(System.Threading.Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        if (ReadFileNative(packed) != 997)
        {
            System.Threading.Overlapped.Free(packed);
            throw new InvalidOperationException();
        }
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}", allowUnsafe: true);

        [Fact]
        public Task ConfiguredPairFinished() => Silent(@"
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
        public Task UnconfiguredCustomPairIsIgnored() => Silent(@"
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
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task RetryLoopRestartsTheOperation() => Silent(@"
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

            m_in.Complete();
            if (error != SocketError.WouldBlock)
            {
                throw new SocketException((int)error);
            }
        }
    }
}");

        [Fact]
        public Task NonErrorComparisonsAreNotFailures() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive(int count, bool closing)
    {
        m_in.StartOperation(OperationType.Receive);
        var result = (int)Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (result == -1)
        {
            Console.WriteLine(""ask GetLastError"");
        }

        if (count != 42 || closing)
        {
            return;
        }
    }
}");

        [Fact]
        public Task GeneratedCodeIsNotAnalyzed() => Verify<SyncFailureAnalyzer>.DiagnosticsAsync("// <auto-generated/>" + Usings + @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            throw new InvalidOperationException();
        }
    }
}", null);

        [Fact]
        public Task OverwrittenReceiverIsNoLongerTracked() => Silent(@"
class Socket
{
    private Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_in = new Overlapped();
            throw new InvalidOperationException();
        }
    }
}");
        [Fact]
        public Task AnEarlierOperationInFlight_IsNotFailedByALaterCallsFailure() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void ReceiveThenSend()
    {
        m_in.StartOperation(OperationType.Receive);
        SocketError error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            throw new SocketException((int)error);
        }

        // m_in is in flight now: its completion comes through the port whatever happens to the send.
        m_out.StartOperation(OperationType.Send);
        error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_out.Complete();
            throw new SocketException((int)error);
        }
    }
}");


        [Fact]
        public Task WhileTrueRetryThatLoopsBackOnInterruption_NeverFallsOutOfTheLoop() => Silent(@"
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

            // Interrupted: issue the same receive again (the loop restarts m_in); anything else is fatal.
            if (error != SocketError.Interrupted)
            {
                m_in.Complete();
                throw new SocketException((int)error);
            }
        }
    }
}");

        [Fact]
        public Task AHelperOfTheTypeThatCompletesTheFieldByName_Finishes() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public bool Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.Success)
        {
            int error = Native.GetLastError();
            if (error != 997)
            {
                AbortReceive(error);
                return false;
            }
        }

        return true;
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        var error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            Fail((int)error);
        }

        void Fail(int code)
        {
            this.m_out.Complete();
            Console.WriteLine(code);
        }
    }

    private void AbortReceive(int error)
    {
        m_in.Complete();
        Console.WriteLine(error);
    }
}");

        [Fact]
        public Task AnIntComparedWithAConstant_IsNotAnErrorCodeUnlessItComesFromGetLastError() => Silent(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive(byte[] buffer)
    {
        m_in.StartOperation(OperationType.Receive);
        Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        int length = buffer.Length;
        if (length == 16)
        {
            throw new ArgumentException(""pending receive, odd buffer"");
        }
    }
}");

        [Fact]
        public Task ASpecificErrorTestedByIfThatSetsACleanupFlag_IsLeftToTheFlag() => Silent(@"
class EventLoop
{
    private readonly Overlapped m_wait = new Overlapped();
    private bool m_stop;

    public void Run()
    {
        bool cleanup = false;
        while (!m_stop)
        {
            m_wait.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_wait.Address) != SocketError.Success)
            {
                int hr = Marshal.GetLastWin32Error();
                if (hr == 5 || hr == 1167)
                {
                    // Device gone: leave the loop, the flag frees below.
                    cleanup = true;
                    break;
                }
            }
        }

        if (cleanup)
        {
            m_wait.Complete();
        }
    }
}");
    }
}
