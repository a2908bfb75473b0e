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
    /// OVL007 and OVL008 in the editor: reported for the document being edited, for the member being typed in (a
    /// filter span), including inside a completion lambda, and never for a correct document beside a buggy one.
    /// </summary>
    public class LiveLifetimeAnalysisTests
    {
        private const string Usings = @"
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
";

        private const string ReleasedWhilePending = @"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public void Read(byte* data, int length)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, null);
        if (!ReadFile(m_file, data, length, IntPtr.Zero, native))
        {
            m_handle.FreeNativeOverlapped(native);
            throw new IOException();
        }
    }

    [DllImport(""kernel32.dll"", SetLastError = true)]
    private static extern bool ReadFile(IntPtr file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);
}";

        private const string UsedAfterFree = @"
unsafe class Reader
{
    public NativeOverlapped* Start(byte[] buffer)
    {
        return new System.Threading.Overlapped().Pack((errorCode, numBytes, native) =>
        {
            System.Threading.Overlapped.Free(native);
            Console.WriteLine(System.Threading.Overlapped.Unpack(native).AsyncResult);
        }, buffer);
    }
}";

        private const string Correct = @"
unsafe class CorrectReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public void Read(byte* data, int length)
    {
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) =>
        {
            Console.WriteLine(ThreadPoolBoundHandle.GetNativeOverlappedState(p));
            m_handle.FreeNativeOverlapped(p);
        }, null, null);
        if (!ReadFile(m_file, data, length, IntPtr.Zero, native) && Marshal.GetLastWin32Error() != 997)
        {
            m_handle.FreeNativeOverlapped(native);
            throw new IOException();
        }
    }

    [DllImport(""kernel32.dll"", SetLastError = true)]
    private static extern bool ReadFile(IntPtr file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);
}";

        public static IEnumerable<object[]> BuggyDocuments() => new[]
        {
            new object[] { "OVL007", ReleasedWhilePending },
            new object[] { "OVL008", UsedAfterFree },
        };

        [Theory]
        [MemberData(nameof(BuggyDocuments))]
        public async Task ReportsInTheDocumentBeingEdited(string id, string body)
        {
            (CompilationWithAnalyzers host, SemanticModel model) = await OpenAsync(("Edited.cs", Usings + body));

            ImmutableArray<Diagnostic> diagnostics = await host.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);

            Assert.Equal(new[] { id }, diagnostics.Select(d => d.Id).Distinct());
        }

        [Theory]
        [MemberData(nameof(BuggyDocuments))]
        public async Task ReportsWhenOnlyTheMemberBeingTypedInIsAnalyzed(string id, string body)
        {
            (CompilationWithAnalyzers host, SemanticModel model) = await OpenAsync(("Edited.cs", Usings + body));
            MethodDeclarationSyntax method = model.SyntaxTree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Body != null);

            ImmutableArray<Diagnostic> diagnostics = await host.GetAnalyzerSemanticDiagnosticsAsync(model, method.Span, CancellationToken.None);

            Assert.Contains(diagnostics, d => d.Id == id);
        }

        [Fact]
        public async Task ACorrectDocumentStaysSilentBesideBuggyOnes()
        {
            (CompilationWithAnalyzers host, SemanticModel model) = await OpenAsync(
                ("Correct.cs", Usings + Correct), ("Pending.cs", Usings + ReleasedWhilePending), ("Freed.cs", Usings + UsedAfterFree));

            ImmutableArray<Diagnostic> inCorrect = await host.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);
            ImmutableArray<Diagnostic> all = await host.GetAnalyzerDiagnosticsAsync(CancellationToken.None);

            Assert.Empty(inCorrect.Select(d => d.ToString()));
            Assert.Equal(
                new[] { "OVL007 Pending.cs", "OVL008 Freed.cs" },
                all.Select(d => d.Id + " " + d.Location.SourceTree!.FilePath).OrderBy(s => s, System.StringComparer.Ordinal));
        }

        /// <summary>Opens the documents with every analyzer; the model is the first document's.</summary>
        private static async Task<(CompilationWithAnalyzers Host, SemanticModel Model)> OpenAsync(params (string Path, string Source)[] documents)
        {
            Compilation compilation = await HostCompilation.CreateAsync(documents);
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var exceptions = new List<string>();
            CompilationWithAnalyzers host = HostCompilation.WithAnalyzers(
                compilation,
                new DiagnosticAnalyzer[] { new SyncFailureAnalyzer(), new HandleLeakAnalyzer(), new DisposeAnalyzer(), new PrematureReleaseAnalyzer(), new UseAfterFreeAnalyzer() },
                exceptions: exceptions);
            Assert.Empty(exceptions);
            return (host, compilation.GetSemanticModel(HostCompilation.Tree(compilation, documents[0].Path)));
        }
    }
}
