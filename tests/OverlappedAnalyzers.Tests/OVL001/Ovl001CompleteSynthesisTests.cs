using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>
    /// Upstream AsyncIO's overlapped has no Complete(): the OVL001 fix adds one clearing the flag StartOperation
    /// sets, following StartOperation(op) → StartOperation(op, buffer) forwarding and this.-calls; when the flag
    /// can't be named, no fix is offered and the diagnostic's NoFixReason says why.
    /// </summary>
    public class Ovl001CompleteSynthesisTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using Io;
";

        private const string SocketUsingTheOneArgumentOverload = @"
class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            {|OVL001:throw new InvalidOperationException();|}
        }
    }
}";

        private const string FixedSocket = @"
class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_in.Complete();
            throw new InvalidOperationException();
        }
    }
}";

        [Fact]
        public Task ForwardingOverload_CompleteClearsTheFlagTheOtherOverloadSets_AndGoesAfterTheLastOverload() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Usings + @"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }
    public byte[]? Buffer { get; private set; }

    public void StartOperation(OperationType type)
    {
        StartOperation(type, null);
    }

    public void StartOperation(OperationType type, byte[]? buffer)
    {
        InProgress = true;
        Buffer = buffer;
    }

    public void Dispose()
    {
    }
}
" + SocketUsingTheOneArgumentOverload, Usings + @"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }
    public byte[]? Buffer { get; private set; }

    public void StartOperation(OperationType type)
    {
        StartOperation(type, null);
    }

    public void StartOperation(OperationType type, byte[]? buffer)
    {
        InProgress = true;
        Buffer = buffer;
    }

    public void Complete()
    {
        InProgress = false;
    }

    public void Dispose()
    {
    }
}
" + FixedSocket);

        [Fact]
        public Task ThisCallToAHelper_IsFollowed_ExpressionBodiesToo() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Usings + @"
class UpstreamOverlapped
{
    private bool m_pending;
    public IntPtr Address { get; }

    public void StartOperation(OperationType type) => this.StartOperation(type, 0);

    public void StartOperation(OperationType type, int flags)
    {
        this.MarkPending();
    }

    private void MarkPending() => this.m_pending = true;
}
" + SocketUsingTheOneArgumentOverload, Usings + @"
class UpstreamOverlapped
{
    private bool m_pending;
    public IntPtr Address { get; }

    public void StartOperation(OperationType type) => this.StartOperation(type, 0);

    public void StartOperation(OperationType type, int flags)
    {
        this.MarkPending();
    }

    public void Complete()
    {
        m_pending = false;
    }

    private void MarkPending() => this.m_pending = true;
}
" + FixedSocket);

        [Fact]
        public Task TwoFlagsSet_NoFixOffered() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Usings + TwoFlags + SocketUsingTheOneArgumentOverload, Usings + TwoFlags + SocketUsingTheOneArgumentOverload);

        [Fact]
        public Task NoFlagSet_NoFixOffered() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Usings + NoFlag + SocketUsingTheOneArgumentOverload, Usings + NoFlag + SocketUsingTheOneArgumentOverload);

        [Theory]
        [InlineData(TwoFlags, "'UpstreamOverlapped.StartOperation' sets several bool members to true (m_pending, m_started), so the flag a Complete() must clear is ambiguous")]
        [InlineData(NoFlag, "'UpstreamOverlapped.StartOperation' (and the methods of the type it calls) sets no bool field or property of the type to true, so the flag a Complete() must clear is unknown")]
        public async Task NoFix_TheDiagnosticSaysWhy(string overlappedType, string reason)
        {
            var diagnostic = await SingleOvl001Async(overlappedType);
            Assert.Equal(reason, diagnostic.Properties[SyncFailureAnalyzer.NoFixReasonProperty]);
            Assert.False(diagnostic.Properties.ContainsKey(SyncFailureAnalyzer.CompleteFlagProperty));
        }

        [Fact]
        public async Task Fix_TheDiagnosticNamesTheFlagAndNoReason()
        {
            var diagnostic = await SingleOvl001Async(@"
class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }
    public void StartOperation(OperationType type) { StartOperation(type, null); }
    public void StartOperation(OperationType type, object? state) { InProgress = true; }
}");
            Assert.Equal("InProgress", diagnostic.Properties[SyncFailureAnalyzer.CompleteFlagProperty]);
            Assert.False(diagnostic.Properties.ContainsKey(SyncFailureAnalyzer.NoFixReasonProperty));
        }

        private const string TwoFlags = @"
class UpstreamOverlapped
{
    private bool m_started;
    private bool m_pending;
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        m_started = true;
        m_pending = true;
    }
}
";

        private const string NoFlag = @"
class UpstreamOverlapped
{
    private int m_state;
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        m_state = 1;
    }
}
";

        private static async Task<Diagnostic> SingleOvl001Async(string overlappedType)
        {
            var source = Usings + overlappedType + SocketUsingTheOneArgumentOverload.Replace("{|OVL001:", string.Empty).Replace("|}", string.Empty);
            var compilation = await HostCompilation.CreateAsync(("/0/Test0.cs", source), ("/0/Overlapped.cs", TestSources.Overlapped));
            var diagnostics = await HostCompilation.WithAnalyzers(compilation, new DiagnosticAnalyzer[] { new SyncFailureAnalyzer() }).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            return Assert.Single(diagnostics, d => d.Id == "OVL001");
        }
    }
}
