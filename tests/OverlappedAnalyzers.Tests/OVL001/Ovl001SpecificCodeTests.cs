using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>
    /// A specific error code other than 997 and 0 establishes "not pending" on its true side, in an if as in a switch;
    /// bool flags set on such a branch and tested later are correlated per path, so the flag-guarded finish is seen.
    /// </summary>
    public class Ovl001SpecificCodeTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
";

        private static Task Verify(string body) => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + body);

        [Fact]
        public Task IfErrorEqualsConnectionReset_Reports() => Verify(@"
class Connection
{
    private const int WSAECONNRESET = 10054;
    private readonly Overlapped m_in = new Overlapped();

    public bool Closed { get; private set; }

    public bool Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.Success)
        {
            int err = Native.GetLastError();
            if (err == WSAECONNRESET)
            {
                Closed = true;
                {|OVL001:return false;|}
            }
        }

        return true;
    }
}");

        [Fact]
        public Task IfLastWin32ErrorEqualsNetnameDeleted_Reports() => Verify(@"
class Pipe
{
    private const int ERROR_NETNAME_DELETED = 64;
    private readonly Overlapped m_read = new Overlapped();

    public void Read()
    {
        m_read.StartOperation(OperationType.Receive);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_read.Address))
        {
            if (Marshal.GetLastWin32Error() == ERROR_NETNAME_DELETED)
                {|OVL001:return;|}
        }
    }
}");

        [Fact]
        public Task IfSocketErrorEqualsConnectionReset_Reports() => Verify(@"
class Connection
{
    private readonly Overlapped m_out = new Overlapped();

    public void Send()
    {
        m_out.StartOperation(OperationType.Send);
        SocketError error = Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address);
        if (error == SocketError.ConnectionReset || error == SocketError.ConnectionAborted)
        {
            {|OVL001:return;|}
        }
    }
}");

        [Fact]
        public Task SpecificCodeWithTheCompleteBeforeTheExit_Silent() => Verify(@"
class Connection
{
    private const int WSAECONNRESET = 10054;
    private readonly Overlapped m_in = new Overlapped();

    public bool Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.Success)
        {
            int err = Native.GetLastError();
            if (err == WSAECONNRESET)
            {
                m_in.Complete();
                return false;
            }
        }

        return true;
    }
}");

        [Fact]
        public Task MoreDataIsNoFailure_ItsCompletionIsQueued_Silent() => Verify(@"
class Pipe
{
    private const int ERROR_MORE_DATA = 234;
    private readonly Overlapped m_read = new Overlapped();

    public bool Read()
    {
        m_read.StartOperation(OperationType.Receive);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_read.Address))
        {
            int err = Marshal.GetLastWin32Error();
            if (err == ERROR_MORE_DATA)
            {
                return true;
            }
        }

        return true;
    }
}");

        [Fact]
        public Task FlagSetOnOneFailureButNotTheOther_TheUnflaggedPathReports() => Verify(@"
class Connection
{
    private const int WSAECONNRESET = 10054;
    private readonly Overlapped m_in = new Overlapped();

    public bool Closed { get; private set; }

    public bool Receive()
    {
        bool cleanup = false;
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.Success)
        {
            int err = Native.GetLastError();
            if (err == WSAECONNRESET)
            {
                Closed = true;
            }
            else if (err != 997)
            {
                cleanup = true;
            }
        }

        if (cleanup)
        {
            m_in.Complete();
            return false;
        }

        {|OVL001:return true;|}
    }
}");

        [Fact]
        public Task FlagSetOnEveryFailure_TheFlagGuardedFinishIsSeen_Silent() => Verify(@"
class Connection
{
    private const int WSAECONNRESET = 10054;
    private readonly Overlapped m_in = new Overlapped();

    public bool Receive()
    {
        bool cleanup = false;
        bool closed = false;
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.Success)
        {
            int err = Native.GetLastError();
            if (err == WSAECONNRESET)
            {
                closed = true;
                cleanup = true;
            }
            else if (err != 997)
            {
                cleanup = true;
            }
        }

        if (!cleanup)
        {
            return true;
        }

        m_in.Complete();
        return !closed;
    }
}");

        [Fact]
        public Task FlagComparedWithFalse_InALoop_Silent() => Verify(@"
class Port
{
    private readonly Overlapped m_wait = new Overlapped();
    private bool m_stop;

    public void Run()
    {
        bool failed = false;
        while (!m_stop && failed == false)
        {
            m_wait.StartOperation(OperationType.Receive);
            if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_wait.Address))
            {
                int hr = Marshal.GetLastWin32Error();
                if (hr == 995 || hr == 1167)
                {
                    failed = true;
                }
            }
        }

        if (failed == true)
        {
            m_wait.Complete();
        }
    }
}");

        [Fact]
        public Task FlagTestedInTheWrongSense_Reports() => Verify(@"
class Port
{
    private readonly Overlapped m_wait = new Overlapped();

    public void Wait()
    {
        bool failed = false;
        m_wait.StartOperation(OperationType.Receive);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, m_wait.Address))
        {
            if (Marshal.GetLastWin32Error() != 997)
            {
                failed = true;
            }
        }

        if (!failed)
        {
            m_wait.Complete();
        }

        if (failed)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}");
    }
}
