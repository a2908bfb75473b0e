using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Pending;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// The giant-method question taken apart (and, with <c>--phases --corpus dense-200,dense-lib</c>, the dense corpora's):
    /// where does the per-line cost of OVL001/002/006 go — Roslyn binding the
    /// body, Roslyn building its control-flow graph, our effect collection, or our path analysis? Runs the rule's own
    /// pipeline (<c>CodeBlocks</c> → <c>GraphSource</c> → <c>GraphEffects</c> → <c>PendingAnalysis</c>) in process on a
    /// fresh compilation per round, timing each phase apart, so analyzer telemetry (which also catches GC pauses and
    /// whatever Roslyn does inside a callback) is not the only evidence.
    /// </summary>
    internal static class PhaseProfile
    {
        private const int WarmupRounds = 3;

        public static string Run(IReadOnlyList<Corpus> corpora, int rounds)
        {
            var rows = new List<(Corpus Corpus, double[] Medians, int Findings)>();
            foreach (var corpus in corpora)
            {
                var samples = new List<double[]>();
                var findings = 0;
                for (var round = 0; round < WarmupRounds + rounds; round++)
                {
                    var (phases, count) = Measure(corpus);
                    findings = count;
                    if (round >= WarmupRounds)
                    {
                        samples.Add(phases);
                    }
                }

                rows.Add((corpus, Enumerable.Range(0, 4).Select(i => Report.Median(samples.Select(s => s[i]))).ToArray(), findings));
            }

            var sb = new StringBuilder();
            sb.AppendLine(FormattableString.Invariant($"#### OVL001/002/006 pipeline by phase (in process, {rounds} rounds after {WarmupRounds} warm-up, medians)"));
            sb.AppendLine();
            sb.AppendLine("| corpus | lines | bind ms | CFG ms | effects ms | path ms | total ms | µs/line total | µs/line ours (effects+path) | findings |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (corpus, m, findings) in rows)
            {
                var total = m.Sum();
                sb.AppendLine(FormattableString.Invariant(
                    $"| {corpus.Name} | {corpus.Lines} | {m[0]:F1} | {m[1]:F1} | {m[2]:F1} | {m[3]:F1} | {total:F1} | {total * 1000 / corpus.Lines:F1} | {(m[2] + m[3]) * 1000 / corpus.Lines:F1} | {findings} |"));
            }

            if (rows.Count == 2 && rows[0].Corpus.Role == "giant-method" && rows[1].Corpus.Role == "giant-split")
            {
                double PerLine(int row, Func<double[], double> pick) => pick(rows[row].Medians) / rows[row].Corpus.Lines;
                sb.AppendLine();
                sb.AppendLine(FormattableString.Invariant(
                    $"Per-line ratio {rows[0].Corpus.Name} / {rows[1].Corpus.Name}: total {PerLine(0, m => m.Sum()) / PerLine(1, m => m.Sum()):F2}×, bind {PerLine(0, m => m[0]) / PerLine(1, m => m[0]):F2}×, CFG {PerLine(0, m => m[1]) / PerLine(1, m => m[1]):F2}×, effects {PerLine(0, m => m[2]) / PerLine(1, m => m[2]):F2}×, path {PerLine(0, m => m[3]) / PerLine(1, m => m[3]):F2}×."));
            }

            return sb.ToString();
        }

        private static (double[] Phases, int Findings) Measure(Corpus corpus)
        {
            var compilation = Runner.NewCompilation(corpus, null);
            var symbols = KnownSymbols.Create(compilation);
            var pairs = new OperationPairs(symbols, ImmutableArray<ConfiguredPair>.Empty);
            var summaries = new HelperSummaries();
            var ticks = new long[4];
            var findings = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                var text = tree.GetText();
                foreach (var block in CodeBlocks.In(tree.GetRoot()))
                {
                    if (!TextGate.ContainsAnyIdentifier(text, block.Span, pairs.StartNames))
                    {
                        continue;
                    }

                    var watch = Stopwatch.StartNew();
                    model.GetOperation(block);
                    ticks[0] += watch.ElapsedTicks;
                    foreach (var graph in Graphs(model, block, ticks))
                    {
                        watch.Restart();
                        var effects = GraphEffects.Create(graph, pairs, symbols, summaries, CancellationToken.None);
                        ticks[2] += watch.ElapsedTicks;
                        if (effects is null)
                        {
                            continue;
                        }

                        watch.Restart();
                        findings += PendingAnalysis.Analyze(graph, effects, CancellationToken.None).Length;
                        ticks[3] += watch.ElapsedTicks;
                    }
                }
            }

            return (ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray(), findings);
        }

        /// <summary>The block's graphs, with the time spent building each charged to the CFG phase.</summary>
        private static IEnumerable<ControlFlowGraph> Graphs(SemanticModel model, SyntaxNode block, long[] ticks)
        {
            using var graphs = GraphSource.ForCodeBlock(model, block, CancellationToken.None).GetEnumerator();
            while (true)
            {
                var watch = Stopwatch.StartNew();
                var more = graphs.MoveNext();
                ticks[1] += watch.ElapsedTicks;
                if (!more)
                {
                    yield break;
                }

                yield return graphs.Current;
            }
        }
    }
}
