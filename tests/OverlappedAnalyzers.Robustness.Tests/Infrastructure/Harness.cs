using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>How much of the fix machinery a run exercises.</summary>
    internal sealed record HarnessOptions(bool RunFixes = true, bool RunFixAll = false, int MaxFixedDiagnostics = 4, bool ConcurrentAnalysis = true)
    {
        public static HarnessOptions AnalyzersOnly { get; } = new HarnessOptions(RunFixes: false);

        /// <summary>
        /// The driver returns diagnostics in the order code blocks finish; only a sequential driver makes that
        /// order a property of the analyzers, which is what the "same order" test checks.
        /// </summary>
        public static HarnessOptions Sequential { get; } = new HarnessOptions(RunFixes: false, ConcurrentAnalysis: false);
    }

    /// <summary>
    /// Runs every discovered analyzer over a set of documents through <see cref="CompilationWithAnalyzers"/>
    /// (exceptions recorded, not thrown), then every discovered code fix on each diagnostic it can fix.
    /// One compilation per run: the workspace's when fixes run (so diagnostic locations are the documents'
    /// own trees), a bare one otherwise. Each run carries its own <see cref="WorkMeter"/>: the result says how
    /// much work the path engine did, which is what the tests bound (<see cref="WorkBounds"/>).
    /// </summary>
    internal static class Harness
    {
        /// <summary>
        /// The last resort against a real hang, not a speed limit: the slowest run (2,000 start sites with Fix All)
        /// takes about 20 s on a quiet 2-core machine and took 96 s on one shared by five .NET builds; the tests
        /// judge the engine by its work, the clock only tells a hang from any machine's pace.
        /// </summary>
        public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

        public static async Task<AnalysisResult> RunAsync(IReadOnlyList<SourceFile> sources, HarnessOptions options, CancellationToken cancellationToken)
        {
            var analyzers = AnalyzerCatalog.Analyzers;
            var fixers = options.RunFixes ? AnalyzerCatalog.Fixers : ImmutableArray<CodeFixProvider>.Empty;

            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text), References.ParseOptions, s.Path, cancellationToken)).ToList();
            var compilationOptions = References.CompilationOptionsFor(trees);
            Solution? solution = null;
            Compilation compilation;
            if (fixers.IsEmpty)
            {
                compilation = CSharpCompilation.Create("Fuzz", trees, References.All, compilationOptions);
            }
            else
            {
                solution = CreateSolution(sources, compilationOptions);
                compilation = (await solution.Projects.Single().GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var exceptions = new ConcurrentQueue<string>();
            var meter = new WorkMeter();
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    new MeteredAnalyzerOptions(ImmutableArray<AdditionalText>.Empty, meter),
                    onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name} threw: {exception}"),
                    concurrentAnalysis: options.ConcurrentAnalysis,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: false));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

            var analyzerExceptions = exceptions.ToList();
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Id == "AD0001")
                {
                    analyzerExceptions.Add("AD0001: " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            var fixFailures = new List<string>();
            var fixesApplied = 0;
            if (solution != null)
            {
                fixesApplied = await RunFixesAsync(solution, diagnostics, fixers, options, fixFailures, cancellationToken).ConfigureAwait(false);
            }

            return new AnalysisResult(diagnostics, analyzerExceptions.ToImmutableArray(), fixFailures.ToImmutableArray(), fixesApplied, meter.Graphs);
        }

        /// <summary>One run under the <see cref="HangGuard"/>: a run that outlives it is a hang, whatever the machine.</summary>
        public static AnalysisResult Run(IReadOnlyList<SourceFile> sources, HarnessOptions options) =>
            RunGuardedAsync(sources, options).GetAwaiter().GetResult();

        /// <summary>
        /// The token stops cooperative work; WaitAsync stops waiting on the rest. A hang becomes a
        /// <see cref="TimeoutException"/> naming the guard, never a bare "task was canceled".
        /// </summary>
        public static async Task<AnalysisResult> RunGuardedAsync(IReadOnlyList<SourceFile> sources, HarnessOptions options)
        {
            using var cancellation = new CancellationTokenSource(HangGuard);
            try
            {
                return await Task.Run(() => RunAsync(sources, options, cancellation.Token)).WaitAsync(HangGuard + HangGuard).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                throw new TimeoutException($"Analysis did not finish within the hang guard ({HangGuard.TotalMinutes:0} min): a hang, not slowness.", e);
            }
        }

        public static Solution CreateSolution(IReadOnlyList<SourceFile> sources, CSharpCompilationOptions? compilationOptions = null)
        {
            compilationOptions ??= References.CompilationOptionsFor(sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, References.ParseOptions)));
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "Fuzz",
                "Fuzz",
                LanguageNames.CSharp,
                compilationOptions: compilationOptions,
                parseOptions: References.ParseOptions,
                metadataReferences: References.All));
            foreach (var source in sources)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId, source.Path), source.Path, SourceText.From(source.Text), filePath: source.Path);
            }

            return solution;
        }

        private static async Task<int> RunFixesAsync(
            Solution solution,
            ImmutableArray<Diagnostic> diagnostics,
            ImmutableArray<CodeFixProvider> fixers,
            HarnessOptions options,
            List<string> failures,
            CancellationToken cancellationToken)
        {
            var applied = 0;
            foreach (var fixer in fixers)
            {
                var fixable = fixer.FixableDiagnosticIds;
                var candidates = diagnostics
                    .Where(d => fixable.Contains(d.Id) && d.Location.IsInSource)
                    .Take(options.MaxFixedDiagnostics)
                    .ToList();
                foreach (var diagnostic in candidates)
                {
                    var document = solution.GetDocument(diagnostic.Location.SourceTree);
                    if (document is null)
                    {
                        continue;
                    }

                    var where = $"{fixer.GetType().Name} on {AnalysisResult.Key(diagnostic)}";
                    try
                    {
                        var actions = new List<CodeAction>();
                        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                        await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                        if (actions.Count == 0)
                        {
                            continue;
                        }

                        if (await ApplyAsync(solution, actions[0], where, failures, cancellationToken).ConfigureAwait(false))
                        {
                            applied++;
                        }

                        if (options.RunFixAll && fixer.GetFixAllProvider() is { } fixAll)
                        {
                            var fixAllContext = new FixAllContext(
                                document,
                                fixer,
                                FixAllScope.Document,
                                actions[0].EquivalenceKey,
                                new[] { diagnostic.Id },
                                new FixedDiagnostics(diagnostics),
                                cancellationToken);
                            var fixAllAction = await fixAll.GetFixAsync(fixAllContext).ConfigureAwait(false);
                            if (fixAllAction != null && await ApplyAsync(solution, fixAllAction, where + " (Fix All)", failures, cancellationToken).ConfigureAwait(false))
                            {
                                applied++;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{where} threw: {e}");
                    }
                }
            }

            return applied;
        }

        /// <summary>Applies an action's first ApplyChangesOperation; its output must not parse worse than its input.</summary>
        private static async Task<bool> ApplyAsync(Solution solution, CodeAction action, string where, List<string> failures, CancellationToken cancellationToken)
        {
            var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
            var apply = operations.OfType<ApplyChangesOperation>().FirstOrDefault();
            if (apply is null)
            {
                return false;
            }

            var changed = apply.ChangedSolution;
            foreach (var projectChanges in changed.GetChanges(solution).GetProjectChanges())
            {
                foreach (var id in projectChanges.GetChangedDocuments().Concat(projectChanges.GetAddedDocuments()))
                {
                    var before = solution.GetDocument(id);
                    var after = changed.GetDocument(id)!;
                    var errorsBefore = before is null ? 0 : await SyntaxErrorsAsync(before, cancellationToken).ConfigureAwait(false);
                    var errorsAfter = await SyntaxErrorsAsync(after, cancellationToken).ConfigureAwait(false);
                    if (errorsAfter > errorsBefore)
                    {
                        var text = await after.GetTextAsync(cancellationToken).ConfigureAwait(false);
                        failures.Add($"{where} ('{action.Title}') produced {errorsAfter} syntax errors in {after.Name} (input had {errorsBefore}):\n{text}");
                    }
                }
            }

            return true;
        }

        private static async Task<int> SyntaxErrorsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return tree!.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        }

        /// <summary>Fix All sees the diagnostics of this run, per document.</summary>
        private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly ImmutableArray<Diagnostic> diagnostics;

            public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

            public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            {
                var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
                return diagnostics.Where(d => d.Location.SourceTree == tree).ToList();
            }

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => !d.Location.IsInSource).ToList());
        }
    }
}
