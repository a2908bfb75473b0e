using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL002
{
    public class Ovl002CodeFixTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using Io;
";

        [Fact]
        public Task SwapsTheReceiver_InEveryWrongFinish() => Verify<SyncFailureAnalyzer, FinishStartedOverlappedCodeFixProvider>.FixAsync(Usings + @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        var socketError = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success && socketError != SocketError.IOPending)
        {
            {|OVL002:m_outOverlapped.Complete()|}; // the blog's typo
            throw new SocketException((int)socketError);
        }
    }

    public void ReceiveAgain()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            {|OVL002:this.m_outOverlapped.Complete()|};
            throw new InvalidOperationException();
        }
    }
}", Usings + @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Receive()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        var socketError = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address);
        if (socketError != SocketError.Success && socketError != SocketError.IOPending)
        {
            m_inOverlapped.Complete(); // the blog's typo
            throw new SocketException((int)socketError);
        }
    }

    public void ReceiveAgain()
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            m_inOverlapped.Complete();
            throw new InvalidOperationException();
        }
    }
}");
    }
}
