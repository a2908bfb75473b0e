using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;

namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>
    /// OVL004 runs without the shared Io.Overlapped source: that type defers its free and has no completion-side
    /// free, so it is itself an OVL004 instance. Each test brings the overlapped type it is about.
    /// </summary>
    internal static class Ovl004Verify
    {
        public static Task DiagnosticsAsync(params string[] sources)
        {
            if (CaseRecorder.TryRecord(sources.Select((s, i) => ("File" + i + ".cs", s)), null, false))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpAnalyzerTest<DisposeAnalyzer, DefaultVerifier>
            {
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(("File" + i + ".cs", sources[i]));
            }

            return test.RunAsync(CancellationToken.None);
        }

        public static Task DiagnosticsAsync(string source, params DiagnosticResult[] expected)
        {
            if (CaseRecorder.TryRecord(new[] { ("Test0.cs", source) }, null, false, expected.Length > 0))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpAnalyzerTest<DisposeAnalyzer, DefaultVerifier>
            {
                TestCode = source,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Half-typed code: compiler errors are expected and not listed; the analyzer must stay silent and not throw.</summary>
        public static Task NoDiagnosticsInBrokenCodeAsync(string source)
        {
            var test = new CSharpAnalyzerTest<DisposeAnalyzer, DefaultVerifier>
            {
                TestCode = source,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
                CompilerDiagnostics = CompilerDiagnostics.None,
            };
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Exact fixed code; the framework also checks Fix All in document, project and solution scope.</summary>
        public static Task FixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        {
            if (CaseRecorder.TryRecord(new[] { ("Test0.cs", source) }, null, false, expected.Length > 0))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpCodeFixTest<DisposeAnalyzer, DisposeCodeFixProvider, DefaultVerifier>
            {
                TestCode = source,
                FixedCode = fixedSource,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            test.ExpectedDiagnostics.AddRange(expected);
            if (expected.Length > 1)
            {
                // Several diagnostics: one at a time takes that many iterations, Fix All takes one.
                test.NumberOfIncrementalIterations = expected.Length;
                test.NumberOfFixAllIterations = 1;
            }

            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Several documents before and after (partial owner split across files).</summary>
        public static Task FixAsync(string[] sources, string[] fixedSources)
        {
            if (CaseRecorder.TryRecord(sources.Select((s, i) => ("File" + i + ".cs", s)), null, false))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpCodeFixTest<DisposeAnalyzer, DisposeCodeFixProvider, DefaultVerifier>
            {
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(("File" + i + ".cs", sources[i]));
            }

            for (var i = 0; i < fixedSources.Length; i++)
            {
                test.FixedState.Sources.Add(("File" + i + ".cs", fixedSources[i]));
            }

            return test.RunAsync(CancellationToken.None);
        }
    }
}
