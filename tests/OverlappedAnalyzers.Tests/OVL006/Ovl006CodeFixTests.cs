using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL006
{
    /// <summary>
    /// OVL006's fix moves the start before the native call, and finishes it on the synchronous-failure exits the move
    /// put after it (they used to run before the start): one fix, no OVL001 on the next build.
    /// </summary>
    public class Ovl006CodeFixTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
";

        private const string NativeApi = @"
static class UnsafeMethods
{
    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern SocketError WSARecv(IntPtr socket, IntPtr buffers, IntPtr overlapped);

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern SocketError WSASend(IntPtr socket, IntPtr buffers, IntPtr overlapped);
}
";

        private static Task Fix(string before, string after) =>
            Verify<SyncFailureAnalyzer, MoveStartBeforeCallCodeFixProvider>.FixAsync(Usings + before + NativeApi, Usings + after + NativeApi);

        [Fact]
        public Task TheForkedFix_MovesTheStart_AndCompletesBeforeTheThrowItNowPrecedes() => Fix(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        // hand the kernel our OVERLAPPED
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            // the request never reached the driver
            throw new SocketException((int)error);
        }

        {|OVL006:m_in.StartOperation(OperationType.Receive)|};
    }
}", @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        // hand the kernel our OVERLAPPED
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            // the request never reached the driver
            throw new SocketException((int)error);
        }
    }
}");

        [Fact]
        public Task EveryUncoveredFailureExitIsCompleted_SuccessExitsAreNot_FixAll() => Fix(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public bool TryReceive()
    {
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error == SocketError.ConnectionReset)
            return false;
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            throw new SocketException((int)error);
        }

        {|OVL006:m_in.StartOperation(OperationType.Receive)|};
        return true;
    }

    public void Send()
    {
        var error = UnsafeMethods.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        switch (error)
        {
            case SocketError.Success:
            case SocketError.IOPending:
                break;
            default:
                throw new SocketException((int)error);
        }

        {|OVL006:m_out.StartOperation(OperationType.Send)|};
    }
}", @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public bool TryReceive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error == SocketError.ConnectionReset)
        {
            m_in.Complete();
            return false;
        }
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            throw new SocketException((int)error);
        }

        return true;
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        var error = UnsafeMethods.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        switch (error)
        {
            case SocketError.Success:
            case SocketError.IOPending:
                break;
            default:
                m_out.Complete();
                throw new SocketException((int)error);
        }
    }
}");

        [Fact]
        public Task UpstreamTypeWithoutComplete_GainsOneWithTheMove() => Verify<SyncFailureAnalyzer, MoveStartBeforeCallCodeFixProvider>.FixAsync(Usings + @"
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

    public void Receive()
    {
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            throw new SocketException((int)error);
        }

        {|OVL006:m_in.StartOperation(OperationType.Receive)|};
    }
}" + NativeApi, Usings + @"
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

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            m_in.Complete();
            throw new SocketException((int)error);
        }
    }
}" + NativeApi);
    }
}
