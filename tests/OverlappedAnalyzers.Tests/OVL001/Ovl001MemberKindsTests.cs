using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>
    /// The rule analyzes each tree's code blocks itself (one semantic-model action per tree), so every kind of member
    /// body must be found: constructors, accessors, expression bodies, operators, destructors, nested types, file-scoped
    /// namespaces and top-level statements.
    /// </summary>
    public class Ovl001MemberKindsTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using Io;
";

        [Fact]
        public Task EveryKindOfMemberBodyIsAnalyzed() => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Usings + @"
namespace App;

class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public Socket()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
    }

    ~Socket()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
    }

    public int Pending
    {
        get
        {
            m_in.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
            return 1;
        }
    }

    public int this[int index]
    {
        set
        {
            m_in.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
        }
    }

    public static Socket operator +(Socket socket, int count)
    {
        socket.m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, socket.m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
        return socket;
    }

    public event EventHandler Received
    {
        add
        {
            m_in.StartOperation(OperationType.Receive);
            if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
        }
        remove { }
    }

    private sealed class Nested
    {
        private readonly Overlapped m_out = new Overlapped();

        public void Send()
        {
            m_out.StartOperation(OperationType.Send);
            if (Native.WSASend(IntPtr.Zero, IntPtr.Zero, m_out.Address) != SocketError.IOPending) {|OVL001:throw new SocketException();|}
        }
    }
}");

        [Fact]
        public Task TopLevelStatementsAreAnalyzed()
        {
            var test = new CSharpAnalyzerTest<SyncFailureAnalyzer, DefaultVerifier>
            {
                TestCode = Usings + @"
var overlapped = new Overlapped();
overlapped.StartOperation(OperationType.Receive);
if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, overlapped.Address) != SocketError.IOPending)
{
    {|OVL001:throw new SocketException();|}
}
",
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            test.TestState.Sources.Add(("Overlapped.cs", TestSources.Overlapped));
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test.RunAsync(CancellationToken.None);
        }
    }
}
