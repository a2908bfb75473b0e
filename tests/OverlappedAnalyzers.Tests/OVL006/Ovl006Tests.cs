using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL006
{
    public class Ovl006Tests
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
}

interface INativeSockets
{
    SocketError Send(IntPtr socket, IntPtr overlapped);
}

delegate bool AcceptExDelegate(IntPtr listener, IntPtr accepted, IntPtr overlapped);
";

        private static Task Check(string body) => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + body + NativeApi);

        [Fact]
        public Task StartAfterPInvoke_TheForkedFix() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        {|OVL006:m_in.StartOperation(OperationType.Receive)|};
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            throw new SocketException((int)error);
        }
    }
}");

        [Fact]
        public Task StartAfterDelegateAndInterfaceCalls_OnSomePath() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();
    private readonly AcceptExDelegate m_acceptEx = null!;
    private readonly INativeSockets m_native = null!;

    public void Accept(bool fast)
    {
        if (fast)
        {
            m_acceptEx(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        }

        {|OVL006:m_in.StartOperation(OperationType.Accept)|};
    }

    public void Send()
    {
        m_native.Send(IntPtr.Zero, m_out.Address);
        {|OVL006:m_out.StartOperation(OperationType.Send)|};
    }
}");

        [Fact]
        public Task StartAfterLibraryImport_IsReported() => Check(@"
static partial class Interop
{
    [LibraryImport(""ws2_32.dll"", SetLastError = true)]
    internal static partial SocketError WSASend(IntPtr socket, IntPtr buffers, IntPtr overlapped);

    // What the LibraryImport generator emits, written out so the test needs no generator.
    internal static partial SocketError WSASend(IntPtr socket, IntPtr buffers, IntPtr overlapped) => SocketError.Success;
}

class Socket
{
    private readonly Overlapped m_out = new Overlapped();

    public void Send()
    {
        var error = Interop.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        {|OVL006:m_out.StartOperation(OperationType.Send)|};
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_out.Complete();
        }
    }
}");

        [Fact]
        public Task StartBeforeTheCall_AndRestartAfterComplete_AreSilent() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_in.Complete();
            m_in.StartOperation(OperationType.Receive);
            error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        }
    }

    public void PrepareThenStart()
    {
        Marshal.WriteInt64(m_in.Address, 0);   // resetting the block is not an I/O call
        Describe(m_in.Address);               // nor is a helper with a body
        m_in.StartOperation(OperationType.Receive);
        UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
    }

    private static void Describe(IntPtr address) => Console.WriteLine(address);
}");

        [Fact]
        public Task Fix_MovesTheStartBeforeTheCall_TheCallKeepsItsComment_FixAllInDocument() => Verify<SyncFailureAnalyzer, MoveStartBeforeCallCodeFixProvider>.FixAsync(Usings + @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();
    private readonly INativeSockets m_native = null!;

    public void Receive()
    {
        // hand the buffer to the kernel
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        {|OVL006:m_in.StartOperation(OperationType.Receive)|};
        Console.WriteLine(error);
    }

    public void Send()
    {
        m_native.Send(IntPtr.Zero, m_out.Address);
        {|OVL006:m_out.StartOperation(OperationType.Send)|};
    }
}" + NativeApi, Usings + @"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();
    private readonly INativeSockets m_native = null!;

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        // hand the buffer to the kernel
        var error = UnsafeMethods.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        Console.WriteLine(error);
    }

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        m_native.Send(IntPtr.Zero, m_out.Address);
    }
}" + NativeApi);
    }
}
