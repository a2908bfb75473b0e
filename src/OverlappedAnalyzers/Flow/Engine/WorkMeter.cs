using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// An opt-in count of the path engine's work in one analysis run: how many times each solver processed a
    /// block of each graph it solved. Tests bound the engine by this figure (a deterministic property of the
    /// input) instead of by the clock (a property of the machine). The analyzers get a meter only from
    /// <see cref="MeteredAnalyzerOptions"/>, which only tests create: the shipping path passes null and pays one
    /// type test per graph. A meter lives as long as the options it came in, never across runs.
    /// </summary>
    internal sealed class WorkMeter
    {
        private readonly ConcurrentDictionary<(string Solver, ControlFlowGraph Graph), StrongBox> visits =
            new ConcurrentDictionary<(string Solver, ControlFlowGraph Graph), StrongBox>();

        /// <summary>The meter the test host passed in, if any.</summary>
        public static WorkMeter? Of(AnalyzerOptions? options) => (options as MeteredAnalyzerOptions)?.Meter;

        /// <summary>Every graph a solver ran on, with its size and the solver's block visits.</summary>
        public IReadOnlyList<GraphWork> Graphs =>
            visits.Select(entry => new GraphWork(
                entry.Key.Solver,
                entry.Key.Graph.OriginalOperation.Syntax.SyntaxTree.FilePath,
                entry.Key.Graph.Blocks.Length,
                Volatile.Read(ref entry.Value.Count))).ToList();

        /// <summary><paramref name="solver"/> processed one block of <paramref name="graph"/> (worklist or reporting pass).</summary>
        public void Visit(string solver, ControlFlowGraph graph) =>
            Interlocked.Increment(ref visits.GetOrAdd((solver, graph), _ => new StrongBox()).Count);

        private sealed class StrongBox
        {
            public int Count;
        }
    }
}
