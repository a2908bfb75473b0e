using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>A parsed corpus: the same trees feed every configuration and repetition (each run gets a fresh compilation).</summary>
    internal sealed class Corpus
    {
        public Corpus(string name, string role, string description, IReadOnlyList<CorpusFile> files)
        {
            Name = name;
            Role = role;
            Description = description;
            var options = new CSharpParseOptions(LanguageVersion.Latest);
            Trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path)).ToImmutableArray();
            Files = files.Count;
            OverlappedFiles = files.Count(f => f.HasOverlappedCode);
            Lines = Trees.Sum(t => t.GetText().Lines.Count);
            Methods = Trees.Sum(t => t.GetRoot().DescendantNodes().Count(IsAnalyzedBody));
        }

        public string Name { get; }

        /// <summary>Which target the corpus answers (none-2k, ovl-2k, ovl-200, ovl-20k, giant-method, giant-split), whatever its size.</summary>
        public string Role { get; }

        public string Description { get; }
        public ImmutableArray<SyntaxTree> Trees { get; }
        public int Files { get; }
        public int OverlappedFiles { get; }
        public int Lines { get; }

        /// <summary>Members with a body of their own: what an operation-block analyzer sees once each.</summary>
        public int Methods { get; }

        private static bool IsAnalyzedBody(SyntaxNode node) => node switch
        {
            BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
            AccessorDeclarationSyntax a => a.Body != null || a.ExpressionBody != null,
            PropertyDeclarationSyntax p => p.ExpressionBody != null,
            IndexerDeclarationSyntax i => i.ExpressionBody != null,
            _ => false,
        };
    }

    /// <summary>One timed run of one configuration on one corpus.</summary>
    internal sealed class RunResult
    {
        /// <summary>Wall time of compilation.GetDiagnostics() on a fresh compilation.</summary>
        public double CompileMs { get; init; }

        public long CompileAllocatedBytes { get; init; }

        /// <summary>Wall time of the analysis phase (CompilationWithAnalyzers.GetAnalysisResultAsync) after the compile phase; 0 for compile only.</summary>
        public double AnalysisMs { get; init; }

        /// <summary>Bytes allocated by the whole process during the analysis phase.</summary>
        public long AnalysisAllocatedBytes { get; init; }

        /// <summary>Sum of the analyzers' execution times as the driver logged them (callback time, summed over threads).</summary>
        public double AnalyzerMs { get; init; }

        /// <summary>Execution time per analyzer type name.</summary>
        public IReadOnlyDictionary<string, double> AnalyzerMsByType { get; init; } = new Dictionary<string, double>();
        public IReadOnlyDictionary<string, int> DiagnosticsById { get; init; } = new Dictionary<string, int>();
        public int AnalyzerExceptions { get; init; }
    }

    /// <summary>A configuration: compile only, or compile plus one analyzer set through CompilationWithAnalyzers.</summary>
    internal sealed class Configuration
    {
        public Configuration(string key, AnalyzerSet? analyzers)
        {
            Key = key;
            Analyzers = analyzers;
        }

        public string Key { get; }
        public AnalyzerSet? Analyzers { get; }
        public string Label => Analyzers?.Name ?? "compile only";
    }

    internal static class Runner
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> References = new Lazy<ImmutableArray<MetadataReference>>(LoadReferences);

        /// <summary>The running framework's own assemblies (not the app's Roslyn or analyzer dependencies).</summary>
        private static ImmutableArray<MetadataReference> LoadReferences()
        {
            string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
            return tpa.Split(Path.PathSeparator)
                .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal))
                .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
        }

        public static CSharpCompilation NewCompilation(Corpus corpus, ImmutableDictionary<string, ReportDiagnostic>? diagnosticOptions) =>
            CSharpCompilation.Create(
                "Corpus_" + corpus.Name.Replace('-', '_'),
                corpus.Trees,
                References.Value,
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    allowUnsafe: true,
                    nullableContextOptions: NullableContextOptions.Disable,
                    concurrentBuild: true,
                    specificDiagnosticOptions: diagnosticOptions ?? ImmutableDictionary<string, ReportDiagnostic>.Empty));

        /// <summary>Fails loudly when the generated corpus does not compile: timings of broken code mean nothing.</summary>
        public static void CheckCompiles(Corpus corpus)
        {
            var errors = NewCompilation(corpus, null).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                foreach (var e in errors.Take(10))
                {
                    Console.Error.WriteLine(e.ToString());
                }

                throw new InvalidOperationException($"corpus {corpus.Name} has {errors.Count} compile error(s)");
            }
        }

        /// <summary>
        /// Compile (all compiler diagnostics of a fresh compilation), then, for an analyzer configuration, analyze that compilation
        /// through CompilationWithAnalyzers. The two phases are timed separately: the analysis phase alone is what the analyzers
        /// add to a build, free of the compile phase's noise. (A command-line build shares symbol tables between the two; this
        /// harness rebuilds them in the analysis phase, for every configuration alike, so the no-op driver row is the floor.)
        /// </summary>
        public static async Task<RunResult> RunAsync(Corpus corpus, Configuration configuration, CancellationToken cancellationToken)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var set = configuration.Analyzers;
            var compilation = NewCompilation(corpus, set?.DiagnosticOptions);
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            var compilerDiagnostics = compilation.GetDiagnostics(cancellationToken);
            double compileMs = stopwatch.Elapsed.TotalMilliseconds;
            long compileAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            if (set is null)
            {
                return new RunResult { CompileMs = compileMs, CompileAllocatedBytes = compileAllocated, DiagnosticsById = CountById(compilerDiagnostics) };
            }

            int exceptions = 0;
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (ex, analyzer, diagnostic) =>
                {
                    if (Interlocked.Increment(ref exceptions) <= 3)
                    {
                        Console.Error.WriteLine($"  analyzer exception in {analyzer.GetType().Name}: {ex.GetType().Name}: {ex.Message}");
                    }
                },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);

            long analysisAllocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            stopwatch.Restart();
            var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, options);

            // GetAnalysisResultAsync, not GetAllDiagnosticsAsync: the latter analyzes a private clone without state tracking and
            // keeps no execution times (telemetry reads 0). The driver binds only what its analyzers' registrations need: an
            // analyzer that registers nothing costs next to nothing, one that registers per-method actions binds every body.
            var result = await withAnalyzers.GetAnalysisResultAsync(cancellationToken).ConfigureAwait(false);
            stopwatch.Stop();
            long analysisAllocated = GC.GetTotalAllocatedBytes(precise: true) - analysisAllocatedBefore;

            var byType = new Dictionary<string, double>(StringComparer.Ordinal);
            double total = 0;
            foreach (var analyzer in set.Analyzers)
            {
                double ms = result.AnalyzerTelemetryInfo.TryGetValue(analyzer, out var info) ? info.ExecutionTime.TotalMilliseconds : 0;
                total += ms;
                string key = analyzer.GetType().Name;
                byType[key] = byType.TryGetValue(key, out double soFar) ? soFar + ms : ms;
            }

            return new RunResult
            {
                CompileMs = compileMs,
                CompileAllocatedBytes = compileAllocated,
                AnalysisMs = stopwatch.Elapsed.TotalMilliseconds,
                AnalysisAllocatedBytes = analysisAllocated,
                AnalyzerMs = total,
                AnalyzerMsByType = byType,
                DiagnosticsById = CountById(result.GetAllDiagnostics()),
                AnalyzerExceptions = exceptions,
            };
        }

        private static IReadOnlyDictionary<string, int> CountById(ImmutableArray<Diagnostic> diagnostics) =>
            diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
                .GroupBy(d => d.Id)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
