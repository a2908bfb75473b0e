using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    public class Ovl001SmokeTests
    {
        [Fact]
        public Task SeedReceive_ThrowWithoutComplete_Reports() => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;

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
    }
}
