using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.UseAfterFree
{
    /// <summary>
    /// Forward "must" dataflow over a ControlFlowGraph: the pointers and handles freed on <em>every</em> path to a point
    /// (joins intersect). A use of one of them there is OVL008. Intersection is what keeps frees on mutually exclusive
    /// branches, <c>if (p != null) Free(p);</c> followed by a use, and loops that free at the bottom silent: the analysis
    /// reports only what happens whichever way the code went. Catch and finally regions start knowing nothing.
    /// </summary>
    internal sealed class UseAfterFreeAnalysis
    {
        private const int MaxFindings = 1000;

        private readonly ControlFlowGraph graph;
        private readonly FreedUseClassifier classifier;
        private readonly Dictionary<ReceiverKey, IOperation>?[] entryStates;
        private readonly SortedSet<int> worklist = new SortedSet<int>();
        private readonly Dictionary<SyntaxNode, UseAfterFreeFinding> findings = new Dictionary<SyntaxNode, UseAfterFreeFinding>();
        private readonly WorkMeter? meter;
        private bool reporting;

        private UseAfterFreeAnalysis(ControlFlowGraph graph, FreedUseClassifier classifier, WorkMeter? meter)
        {
            this.meter = meter;
            this.graph = graph;
            this.classifier = classifier;
            entryStates = new Dictionary<ReceiverKey, IOperation>?[graph.Blocks.Length];
        }

        public static ImmutableArray<UseAfterFreeFinding> Analyze(ControlFlowGraph graph, ReleaseCalls releases, CancellationToken cancellationToken, WorkMeter? meter = null)
        {
            if (!FreesAnything(graph, releases, out var classifier))
            {
                return ImmutableArray<UseAfterFreeFinding>.Empty;
            }

            var analysis = new UseAfterFreeAnalysis(graph, classifier!, meter);
            analysis.Run(cancellationToken);
            return analysis.findings.Values.OrderBy(f => f.Use.Operation.Syntax.SpanStart).ToImmutableArray();
        }

        /// <summary>
        /// Does some release call of the graph free a named pointer or handle? The classifier, whose alias resolver walks the
        /// whole graph, is built at the first release call: a graph that calls none is never analysed and needs none.
        /// </summary>
        private static bool FreesAnything(ControlFlowGraph graph, ReleaseCalls releases, out FreedUseClassifier? classifier)
        {
            classifier = null;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    if (operation is IInvocationOperation call && releases.IsRelease(call, out _))
                    {
                        classifier ??= new FreedUseClassifier(releases, new StableAliasResolver(graph, new CaptureMap(graph)));
                        if (classifier.FreedBy(call) != null)
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private void Run(CancellationToken cancellationToken)
        {
            JoinInto(0, new Dictionary<ReceiverKey, IOperation>());
            foreach (var block in graph.Blocks)
            {
                var region = block.EnclosingRegion;
                if (region.FirstBlockOrdinal == block.Ordinal && region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    JoinInto(block.Ordinal, new Dictionary<ReceiverKey, IOperation>());
                }
            }

            // Intersection only shrinks sets of this graph's frees: the fixed point is reached; the budget guards a bug.
            var budget = (graph.Blocks.Length + 1) * 64;
            while (worklist.Count > 0 && budget-- > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.Min;
                worklist.Remove(ordinal);
                Process(graph.Blocks[ordinal], cancellationToken);
            }

            if (worklist.Count > 0)
            {
                return;
            }

            reporting = true;
            foreach (var block in graph.Blocks)
            {
                Process(block, cancellationToken);
            }
        }

        private void Process(BasicBlock block, CancellationToken cancellationToken)
        {
            meter?.Visit(nameof(UseAfterFreeAnalysis), graph);
            var entry = entryStates[block.Ordinal];
            if (entry is null || block.Kind == BasicBlockKind.Exit || !block.IsReachable)
            {
                return;
            }

            var state = new Dictionary<ReceiverKey, IOperation>(entry);
            foreach (var operation in EvaluationOrder.PostOrder(block))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Apply(operation, state);
            }

            foreach (var branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
            {
                if (branch?.Destination is { } destination && !ConstantBranches.IsNeverTaken(block, branch))
                {
                    JoinInto(destination.Ordinal, state);
                }
            }
        }

        private void Apply(IOperation operation, Dictionary<ReceiverKey, IOperation> state)
        {
            if (state.Count > 0)
            {
                foreach (var use in classifier.Uses(operation))
                {
                    if (state.TryGetValue(use.Key, out var free) && reporting && findings.Count < MaxFindings && !findings.ContainsKey(use.Operation.Syntax))
                    {
                        findings.Add(use.Operation.Syntax, new UseAfterFreeFinding(use, free));
                    }
                }
            }

            if (classifier.FreedBy(operation) is { } freed)
            {
                if (!state.ContainsKey(freed))
                {
                    state[freed] = operation;
                }

                return;
            }

            if (state.Count == 0)
            {
                return;
            }

            if (classifier.Rewritten(operation) is { } rewritten)
            {
                Forget(state, key => key.StartsWith(rewritten));
            }
            else if (operation is IInvocationOperation call && NativeEntryPoints.IsInSource(call.TargetMethod))
            {
                // A helper of the compilation may store a new block into a field or an object's member.
                Forget(state, key => key.Length > 1 || key.Symbol is IFieldSymbol);
            }
        }

        private static void Forget(Dictionary<ReceiverKey, IOperation> state, System.Func<ReceiverKey, bool> predicate)
        {
            foreach (var key in state.Keys.Where(predicate).ToList())
            {
                state.Remove(key);
            }
        }

        private void JoinInto(int ordinal, Dictionary<ReceiverKey, IOperation> state)
        {
            var existing = entryStates[ordinal];
            if (existing is null)
            {
                entryStates[ordinal] = new Dictionary<ReceiverKey, IOperation>(state);
                worklist.Add(ordinal);
                return;
            }

            var lost = existing.Keys.Where(key => !state.ContainsKey(key)).ToList();
            if (lost.Count == 0)
            {
                return;
            }

            foreach (var key in lost)
            {
                existing.Remove(key);
            }

            worklist.Add(ordinal);
        }
    }
}
