using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL002
{
    public class Ovl002Tests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
";

        private static Task Check(string body) => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + body);

        [Fact]
        public Task TheBlogFixTypo_CompletesOutAfterStartingIn() => Check(@"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        SocketError socketError = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success)
        {
            socketError = (SocketError)Marshal.GetLastWin32Error();
            if (socketError != SocketError.IOPending)
            {
                {|OVL002:m_outOverlapped.Complete()|};
                throw new SocketException((int)socketError);
            }
        }
    }
}");

        [Fact]
        public Task WrongFinishOnAFieldChainAndAParameter() => Check(@"
class Socket
{
    internal readonly Overlapped m_in = new Overlapped();
    internal readonly Overlapped m_out = new Overlapped();
}

class Listener
{
    private readonly Socket m_socket = new Socket();

    public bool Accept(Overlapped spare)
    {
        m_socket.m_in.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_socket.m_in.Address) && Native.GetLastSocketError() != SocketError.IOPending)
        {
            {|OVL002:spare.Complete()|};
            return false;
        }

        return true;
    }
}");

        [Fact]
        public Task WrongFinishThenTheRightOne_IsSilent() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_out.Complete();
            m_in.Complete();
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task OtherOverlappedStartedHere_IsOvl001NotOvl002() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void Exchange()
    {
        m_out.StartOperation(OperationType.Send);
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_out.Complete();
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}");

        [Fact]
        public Task WrongFinishOnSuccessPath_IsSilent() => Check(@"
class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) == SocketError.Success)
        {
            m_out.Complete();
        }
    }
}");

        [Fact]
        public Task DifferentOverlappedType_IsNotTheWrongOne() => Check(@"
class OtherOverlapped
{
    public void Complete() { }
}

class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly OtherOverlapped m_other = new OtherOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_other.Complete();
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}");
    }
}
