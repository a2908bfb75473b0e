using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>Analyzer test runs against .NET 8 reference assemblies (restored up front by the test project).</summary>
    public static class Verify<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        /// <summary>Runs the analyzer on <paramref name="source"/> (markup marks expected diagnostics) plus the shared overlapped sources.</summary>
        public static Task DiagnosticsAsync(string source, string? editorConfig = null, bool allowUnsafe = false, params DiagnosticResult[] expected)
        {
            if (CaseRecorder.TryRecord(new[] { ("Test0.cs", source), ("Overlapped.cs", TestSources.Overlapped) }, editorConfig, allowUnsafe, expected.Length > 0))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            {
                TestCode = source,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            test.TestState.Sources.Add(("Overlapped.cs", TestSources.Overlapped));
            Configure(test.TestState, editorConfig);
            if (allowUnsafe)
            {
                test.SolutionTransforms.Add(AllowUnsafe);
            }

            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        internal static void Configure(SolutionState state, string? editorConfig)
        {
            if (editorConfig != null)
            {
                state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig + "\n"));
            }
        }

        internal static Solution AllowUnsafe(Solution solution, ProjectId projectId)
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
        }
    }

    /// <summary>Code-fix test runs: exact fixed code, with Fix All in document, project and solution scope checked by the framework.</summary>
    public static class Verify<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public static Task FixAsync(string source, string fixedSource, string? editorConfig = null, bool allowUnsafe = false, int? codeActionIndex = null, string? equivalenceKey = null)
        {
            if (CaseRecorder.TryRecord(new[] { ("Test0.cs", source), ("Overlapped.cs", TestSources.Overlapped) }, editorConfig, allowUnsafe))
            {
                return Task.CompletedTask;
            }

            var test = Create(source, fixedSource, editorConfig, allowUnsafe);
            test.CodeActionIndex = codeActionIndex;
            test.CodeActionEquivalenceKey = equivalenceKey;
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Several documents before and after the fix (for fixes that also edit the overlapped type).</summary>
        public static CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource, string? editorConfig = null, bool allowUnsafe = false, bool sharedSources = true)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
            {
                TestCode = source,
                FixedCode = fixedSource,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            if (sharedSources)
            {
                test.TestState.Sources.Add(("Overlapped.cs", TestSources.Overlapped));
                test.FixedState.Sources.Add(("Overlapped.cs", TestSources.Overlapped));
            }

            Verify<TAnalyzer>.Configure(test.TestState, editorConfig);
            if (allowUnsafe)
            {
                test.SolutionTransforms.Add(Verify<TAnalyzer>.AllowUnsafe);
            }

            return test;
        }
    }
}
