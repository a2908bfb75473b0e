using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// What the editor pays per keystroke (issue 13 item 3): after a small edit to one document, the semantic diagnostics of
    /// that document alone, as an IDE host asks for them — the compiler's (<c>SemanticModel.GetDiagnostics</c>) and the
    /// analyzers' (<c>CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan)</c>), for the whole
    /// document and for the span of the member being edited. Every measurement gets its own edit and a fresh compilation
    /// (<c>ReplaceSyntaxTree</c> of the incrementally re-parsed document, as a workspace produces it), so nothing bound or
    /// analyzed survives from one measurement to the next.
    /// </summary>
    internal static class KeystrokeLatency
    {
        private const int WarmupRounds = 3;

        /// <summary>One document to edit: the compilation's trees, the edited one, and how to find the edited member.</summary>
        private sealed record Scenario(string Name, string Description, Corpus Corpus, string DocumentPath, Func<SyntaxNode, MethodDeclarationSyntax> Member);

        /// <summary>A measured query: who answers (compiler, the no-op driver floor, our analyzers) and over which span.</summary>
        private sealed record Query(string Key, string Label, AnalyzerSet? Set, bool MemberSpan);

        public static async Task<string> RunAsync(AnalyzerSet ours, int reps, int seed)
        {
            var scenarios = new[]
            {
                new Scenario(
                    "large-2k",
                    "generated 2,000-line IOCP file (dense units), alone in its compilation; member: the middle channel's Receive",
                    new Corpus("latency-large", "latency-large", "one 2,000-line IOCP file", new[] { DenseCorpusGenerator.LargeFile(2000, seed) }),
                    "Dense/Large.cs",
                    MiddleChannelReceive),
                new Scenario(
                    "socket-700",
                    "DenseLibrary's AsyncSocket.cs (~700 lines, all six rules' shapes) in its 16-file library; member: Send",
                    new Corpus("latency-socket", "latency-socket", "the DenseLibrary socket", DenseLibrary.Load()),
                    DenseLibrary.SocketFile,
                    root => FindMethod(root, "AsyncSocket", "Send")),
            };
            var floor = AnalyzerSets.Driver();
            var queries = new List<Query>
            {
                new Query("compiler", "compiler: SemanticModel.GetDiagnostics", null, false),
                new Query("floor", "no-op analyzer (driver floor)", floor, false),
                new Query("ovl", "OVL analyzers", ours, false),
                new Query("compiler-span", "compiler, member span", null, true),
                new Query("floor-span", "no-op analyzer, member span", floor, true),
                new Query("ovl-span", "OVL analyzers, member span", ours, true),
            };

            // Each analyzer alone, whole document and span: which one the editor waits for.
            foreach (var analyzer in ours.Analyzers)
            {
                var name = analyzer.GetType().Name;
                var alone = new AnalyzerSet(name, ImmutableArray.Create(analyzer), ours.DiagnosticOptions, ours.Source);
                queries.Add(new Query("alone:" + name, name + " alone", alone, false));
                queries.Add(new Query("alone-span:" + name, name + " alone, member span", alone, true));
            }

            var sb = new StringBuilder();
            sb.AppendLine(FormattableString.Invariant($"#### Keystroke latency: one document's semantic diagnostics after an edit ({reps} reps after {WarmupRounds} warm-up rounds; fresh compilation per measurement)"));
            sb.AppendLine();
            sb.AppendLine("| scenario | document lines | member lines | query | median ms | p10 ms | p90 ms | min ms | max ms | OVL diagnostics |");
            sb.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---|");
            var verdicts = new List<string>();
            foreach (var scenario in scenarios)
            {
                Runner.CheckCompiles(scenario.Corpus);
                var samples = queries.ToDictionary(q => q.Key, _ => new List<double>());
                var findings = queries.ToDictionary(q => q.Key, _ => string.Empty);
                var edits = new Editor(scenario);
                for (var round = 0; round < WarmupRounds + reps; round++)
                {
                    // Rotate the order so drift spreads evenly over the queries.
                    for (var k = 0; k < queries.Count; k++)
                    {
                        var query = queries[(k + round) % queries.Count];
                        var (ms, found) = await MeasureAsync(edits, query).ConfigureAwait(false);
                        if (round >= WarmupRounds)
                        {
                            samples[query.Key].Add(ms);
                            findings[query.Key] = found;
                        }
                    }
                }

                foreach (var query in queries)
                {
                    var s = samples[query.Key];
                    sb.AppendLine(FormattableString.Invariant(
                        $"| {scenario.Name} | {edits.DocumentLines} | {edits.MemberLines} | {query.Label} | {Report.Median(s):F1} | {Percentile(s, 0.1):F1} | {Percentile(s, 0.9):F1} | {s.Min():F1} | {s.Max():F1} | {findings[query.Key]} |"));
                }

                verdicts.AddRange(Judge(scenario, samples));
            }

            sb.AppendLine();
            sb.AppendLine("| target | measured | verdict |");
            sb.AppendLine("|---|---|---|");
            foreach (var line in verdicts)
            {
                sb.AppendLine(line);
            }

            sb.AppendLine();
            sb.AppendLine("*added* = OVL analyzers' median minus the no-op analyzer's (the driver binding the document, which an IDE pays for any analyzer, the SDK's own included); *raw* = the OVL analyzers' median alone.");
            return sb.ToString();
        }

        /// <summary>Targets: our analyzers add ≤ 25% to the compiler's per-document time; ≤ 10 ms on a member's span of the 2,000-line file.</summary>
        private static IEnumerable<string> Judge(Scenario scenario, IReadOnlyDictionary<string, List<double>> samples)
        {
            double M(string key) => Report.Median(samples[key]);
            var compiler = M("compiler");
            var added = M("ovl") - M("floor");
            yield return FormattableString.Invariant(
                $"| {scenario.Name}: OVL adds ≤ 25% to the compiler's per-document semantic diagnostics | added {added:F1} ms = {added / compiler * 100:F0}% of compiler {compiler:F1} ms (raw OVL {M("ovl"):F1} ms = {M("ovl") / compiler * 100:F0}%) | {Report.Verdict(added <= compiler * 0.25)} |");
            var compilerSpan = M("compiler-span");
            var addedSpan = M("ovl-span") - M("floor-span");
            var spanVerdict = scenario.Name == "large-2k" ? Report.Verdict(addedSpan <= 10) : "n/a (no target)";
            yield return FormattableString.Invariant(
                $"| {scenario.Name}: OVL on one member's span ≤ 10 ms (target on large-2k) | added {addedSpan:F1} ms (raw OVL {M("ovl-span"):F1} ms; compiler on the span {compilerSpan:F1} ms) | {spanVerdict} |");
        }

        private static async Task<(double Ms, string Findings)> MeasureAsync(Editor edits, Query query)
        {
            var (compilation, tree, member) = edits.Next(query.Set?.DiagnosticOptions);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var model = compilation.GetSemanticModel(tree);
            TextSpan? span = query.MemberSpan ? member.Span : null;
            var watch = Stopwatch.StartNew();
            if (query.Set is null)
            {
                _ = span is { } s ? model.GetDiagnostics(s) : model.GetDiagnostics();
                watch.Stop();
                return (watch.Elapsed.TotalMilliseconds, string.Empty);
            }

            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (ex, analyzer, _) => Console.Error.WriteLine($"  analyzer exception in {analyzer.GetType().Name}: {ex.GetType().Name}: {ex.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.WithAnalyzers(query.Set.Analyzers, options);
            var found = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, span, CancellationToken.None).ConfigureAwait(false);
            watch.Stop();
            var summary = string.Join(", ", found.Where(d => d.Id.StartsWith("OVL", StringComparison.Ordinal)).GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));
            return (watch.Elapsed.TotalMilliseconds, summary);
        }

        private static double Percentile(List<double> values, double p)
        {
            var sorted = values.OrderBy(v => v).ToList();
            var index = (int)Math.Round(p * (sorted.Count - 1), MidpointRounding.AwayFromZero);
            return sorted[index];
        }

        private static MethodDeclarationSyntax MiddleChannelReceive(SyntaxNode root)
        {
            var receives = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Where(m => m.Identifier.ValueText == "Receive" && m.Parent is ClassDeclarationSyntax c && c.Identifier.ValueText.StartsWith("Channel", StringComparison.Ordinal))
                .ToList();
            return receives[receives.Count / 2];
        }

        private static MethodDeclarationSyntax FindMethod(SyntaxNode root, string type, string name) =>
            root.DescendantNodes().OfType<MethodDeclarationSyntax>()
                .First(m => m.Identifier.ValueText == name && m.Parent is ClassDeclarationSyntax c && c.Identifier.ValueText == type);

        /// <summary>
        /// Produces one edit per call: a space typed at the start of the member's body (incremental re-parse of the document),
        /// and a compilation in which only that document changed. One base compilation per diagnostic-options set, so each
        /// configuration's compilation carries its own options, as a project's does.
        /// </summary>
        private sealed class Editor
        {
            private readonly Scenario scenario;
            private readonly Dictionary<ImmutableDictionary<string, ReportDiagnostic>, (CSharpCompilation Compilation, SyntaxTree Tree)> current = new();

            public Editor(Scenario scenario)
            {
                this.scenario = scenario;
                var tree = Document(scenario.Corpus);
                DocumentLines = tree.GetText().Lines.Count;
                var member = scenario.Member(tree.GetRoot());
                MemberLines = tree.GetText().Lines.GetLinePositionSpan(member.Span).End.Line - tree.GetText().Lines.GetLinePositionSpan(member.Span).Start.Line + 1;
            }

            public int DocumentLines { get; }
            public int MemberLines { get; }

            public (CSharpCompilation Compilation, SyntaxTree Tree, MethodDeclarationSyntax Member) Next(ImmutableDictionary<string, ReportDiagnostic>? diagnosticOptions)
            {
                var key = diagnosticOptions ?? ImmutableDictionary<string, ReportDiagnostic>.Empty;
                if (!current.TryGetValue(key, out var state))
                {
                    var baseCompilation = Runner.NewCompilation(scenario.Corpus, key);
                    state = (baseCompilation, Document(scenario.Corpus));
                }

                var member = scenario.Member(state.Tree.GetRoot());
                var body = member.Body ?? throw new InvalidOperationException("edited member has no block body");
                var text = state.Tree.GetText();
                var edited = state.Tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(body.OpenBraceToken.Span.End, 0), " ")));
                var compilation = state.Compilation.ReplaceSyntaxTree(state.Tree, edited);
                current[key] = (compilation, edited);
                return (compilation, edited, scenario.Member(edited.GetRoot()));
            }

            private SyntaxTree Document(Corpus corpus) => corpus.Trees.First(t => t.FilePath == scenario.DocumentPath);
        }
    }
}
