using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.Host
{
    /// <summary>
    /// IDE first: the editor asks <see cref="CompilationWithAnalyzers"/> for one document's semantic diagnostics
    /// (and, while typing, for one member's span). Every rule must report there — no compilation-end action —
    /// including the per-type rules whose verdict waits for symbol end.
    /// </summary>
    public class LiveAnalysisTests
    {
        private const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;
";

        public static IEnumerable<object[]> LeakingDocuments() => new[]
        {
            new object[] { "OVL001", @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    public void Receive(IntPtr handle)
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(handle, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            throw new SocketException();
        }
    }
}" },
            new object[] { "OVL002", @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();
    public void Receive(IntPtr handle)
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(handle, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            m_outOverlapped.Complete();
            throw new SocketException();
        }
    }
}" },
            new object[] { "OVL003", @"
class Pinner
{
    private GCHandle m_pin;
    public void Pin(byte[] buffer) { m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned); }
    public void Switch(byte[] buffer) { m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned); }
}" },
            new object[] { "OVL004", @"
sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();
    public void Dispose() { m_inOverlapped.Dispose(); }
}" },
            new object[] { "OVL005", @"
class Block
{
    public void Write(byte value)
    {
        IntPtr block = Marshal.AllocHGlobal(16);
        Marshal.WriteByte(block, value);
    }
}" },
            new object[] { "OVL006", @"
class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    public void Receive(IntPtr handle)
    {
        SocketError error = WSARecv(handle, IntPtr.Zero, m_inOverlapped.Address);
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (error != SocketError.Success && error != SocketError.IOPending)
        {
            m_inOverlapped.Complete();
        }
    }

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    private static extern SocketError WSARecv(IntPtr socket, IntPtr buffers, IntPtr overlapped);
}" },
        };

        [Theory]
        [MemberData(nameof(LeakingDocuments))]
        public async Task ReportsInTheDocumentBeingEdited(string id, string body)
        {
            (CompilationWithAnalyzers host, SemanticModel model) = await OpenAsync(body);

            ImmutableArray<Diagnostic> diagnostics = await host.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);

            Assert.Equal(new[] { id }, diagnostics.Select(d => d.Id).Distinct());
        }

        [Theory]
        [MemberData(nameof(LeakingDocuments))]
        public async Task ReportsWhenOnlyTheLeakingTypeIsAnalyzed(string id, string body)
        {
            (CompilationWithAnalyzers host, SemanticModel model) = await OpenAsync(body);
            TypeDeclarationSyntax type = model.SyntaxTree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().First();

            ImmutableArray<Diagnostic> diagnostics = await host.GetAnalyzerSemanticDiagnosticsAsync(model, type.Span, CancellationToken.None);

            Assert.Contains(diagnostics, d => d.Id == id);
        }

        [Fact]
        public async Task ACorrectDocumentStaysSilentBesideALeakingOne()
        {
            const string correct = Usings + @"
class CorrectSocket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    public void Receive(IntPtr handle)
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(handle, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            m_inOverlapped.Complete();
            throw new SocketException();
        }
    }
}";
            Compilation compilation = await HostCompilation.CreateAsync(
                ("Io.cs", TestSources.Overlapped), ("Edited.cs", Usings + (string)LeakingDocuments().First()[1]), ("Correct.cs", correct));
            CompilationWithAnalyzers host = HostCompilation.WithAnalyzers(compilation, AllAnalyzers());

            ImmutableArray<Diagnostic> inCorrect = await host.GetAnalyzerSemanticDiagnosticsAsync(
                compilation.GetSemanticModel(HostCompilation.Tree(compilation, "Correct.cs")), filterSpan: null, CancellationToken.None);
            ImmutableArray<Diagnostic> inEdited = await host.GetAnalyzerSemanticDiagnosticsAsync(
                compilation.GetSemanticModel(HostCompilation.Tree(compilation, "Edited.cs")), filterSpan: null, CancellationToken.None);

            Assert.Empty(inCorrect.Select(d => d.ToString()));
            Assert.Equal(new[] { "OVL001 Edited.cs" }, inEdited.Select(d => d.Id + " " + d.Location.SourceTree!.FilePath));
        }

        [Fact]
        public async Task APartialTypeSplitOverTwoDocuments_ReportsTheFieldLeakInTheAllocatingDocument()
        {
            const string allocating = Usings + @"
partial class Pinner
{
    private GCHandle m_pin;
    public void Pin(byte[] buffer) { m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned); }
}";
            const string other = Usings + @"
partial class Pinner
{
    public IntPtr Address => m_pin.AddrOfPinnedObject();
}";
            Compilation compilation = await HostCompilation.CreateAsync(("Io.cs", TestSources.Overlapped), ("Pinner.cs", allocating), ("Pinner.Address.cs", other));
            CompilationWithAnalyzers host = HostCompilation.WithAnalyzers(compilation, AllAnalyzers());

            ImmutableArray<Diagnostic> diagnostics = await host.GetAnalyzerSemanticDiagnosticsAsync(
                compilation.GetSemanticModel(HostCompilation.Tree(compilation, "Pinner.cs")), filterSpan: null, CancellationToken.None);

            Assert.Equal(new[] { "OVL003" }, diagnostics.Select(d => d.Id));
        }

        private static async Task<(CompilationWithAnalyzers Host, SemanticModel Model)> OpenAsync(string body)
        {
            Compilation compilation = await HostCompilation.CreateAsync(("Io.cs", TestSources.Overlapped), ("Edited.cs", Usings + body));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            CompilationWithAnalyzers host = HostCompilation.WithAnalyzers(compilation, AllAnalyzers());
            return (host, compilation.GetSemanticModel(HostCompilation.Tree(compilation, "Edited.cs")));
        }

        private static DiagnosticAnalyzer[] AllAnalyzers() =>
            new DiagnosticAnalyzer[] { new SyncFailureAnalyzer(), new HandleLeakAnalyzer(), new DisposeAnalyzer() };
    }
}
