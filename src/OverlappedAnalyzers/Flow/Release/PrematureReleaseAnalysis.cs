using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Forward dataflow over a ControlFlowGraph, per asynchronous I/O call: issued, on its failure-indication path with
    /// the error not yet compared with 997 ("failed or pending"), or known pending. Joins are unions: a release reached
    /// while the operation may still be running on some path is reported. A completion wait, a comparison of the error
    /// with 997 that says "not pending" (OVL001's territory), a helper that asks the question, or success end the watch.
    /// Finally regions release what they release unconditionally on every exit that leaves their try; an explicit throw
    /// caught in the method carries the state into its handlers.
    /// </summary>
    internal sealed class PrematureReleaseAnalysis
    {
        private const byte Issued = 1;
        private const byte FailedOrPending = 2;
        private const byte KnownPending = 4;
        private const byte Running = FailedOrPending | KnownPending;
        private const int MaxFindings = 1000;

        private readonly ControlFlowGraph graph;
        private readonly ImmutableArray<IoSite> sites;
        private readonly Dictionary<IInvocationOperation, IoSite> siteOfCall = new Dictionary<IInvocationOperation, IoSite>();
        private readonly SiteReleases releases;
        private readonly ReleaseFacts facts;
        private readonly ReceiverResolver resolver;
        private readonly FlagLocals flagLocals;
        private readonly Dictionary<int, byte[]>?[] entryStates;
        private readonly SortedSet<int> worklist = new SortedSet<int>();
        private readonly Dictionary<ControlFlowRegion, ImmutableArray<IInvocationOperation>> finallyCalls = new Dictionary<ControlFlowRegion, ImmutableArray<IInvocationOperation>>();
        private readonly Dictionary<SyntaxNode, PrematureReleaseFinding> findings = new Dictionary<SyntaxNode, PrematureReleaseFinding>();
        private readonly WorkMeter? meter;
        private bool reporting;

        private PrematureReleaseAnalysis(ControlFlowGraph graph, ImmutableArray<IoSite> sites, SiteReleases releases, ReleaseFacts facts, ReceiverResolver resolver, WorkMeter? meter)
        {
            this.meter = meter;
            this.graph = graph;
            this.sites = sites;
            this.releases = releases;
            this.facts = facts;
            this.resolver = resolver;
            foreach (var site in sites)
            {
                siteOfCall[site.Call] = site;
            }

            flagLocals = FlagLocals.Create(graph, resolver.Captures);
            entryStates = new Dictionary<int, byte[]>?[graph.Blocks.Length];
        }

        public static ImmutableArray<PrematureReleaseFinding> Analyze(ControlFlowGraph graph, ReleaseFacts facts, OperationPairs pairs, CancellationToken cancellationToken, WorkMeter? meter = null)
        {
            var resolver = new ReceiverResolver(graph, new CaptureMap(graph));
            var sites = IoSiteFinder.Find(graph, facts, pairs, resolver);
            if (sites.IsEmpty)
            {
                return ImmutableArray<PrematureReleaseFinding>.Empty;
            }

            var analysis = new PrematureReleaseAnalysis(graph, sites, new SiteReleases(facts.Releases, pairs, resolver), facts, resolver, meter);
            analysis.Run(cancellationToken);
            return analysis.findings.Values.OrderBy(f => f.Node.SpanStart).ToImmutableArray();
        }

        private void Run(CancellationToken cancellationToken)
        {
            var initial = new byte[sites.Length];
            JoinInto(0, FlagLocals.Unknown, initial);
            foreach (var block in graph.Blocks)
            {
                var region = block.EnclosingRegion;
                if (region.FirstBlockOrdinal == block.Ordinal && region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    JoinInto(block.Ordinal, FlagLocals.Unknown, initial);
                }
            }

            // Unions of three bits per call only grow, per flag valuation: the fixed point is reached; the budget guards a bug.
            var budget = (graph.Blocks.Length + 1) * 64 * (flagLocals.Count + 1);
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
            meter?.Visit(nameof(PrematureReleaseAnalysis), graph);
            var entries = entryStates[block.Ordinal];
            if (entries is null || block.Kind == BasicBlockKind.Exit || !block.IsReachable)
            {
                return;
            }

            // One state per valuation of the graph's bool flags (FlagLocals): "if (err == WSAECONNRESET) failed = true;
            // ... if (failed) Free(ov);" frees on a path known not pending, not on the joined one. Processing may add
            // valuations to this very block (a loop back edge): iterate over a snapshot, in a fixed order.
            foreach (var entry in entries.Count == 1 ? entries.ToArray() : entries.OrderBy(e => e.Key).ToArray())
            {
                Process(block, entry.Key, entry.Value, cancellationToken);
            }
        }

        private void Process(BasicBlock block, int valuation, byte[] entry, CancellationToken cancellationToken)
        {
            var state = (byte[])entry.Clone();
            foreach (var operation in EvaluationOrder.PostOrder(block))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is IInvocationOperation call && Apply(call, state) is { } throwingCall)
                {
                    // [DoesNotReturn] or a helper that always throws: the path leaves here, as by a throw.
                    LeaveByException(block, valuation, state, null, ExitLocator.DoesNotReturnSyntax(throwingCall));
                    return;
                }

                if (operation is ISimpleAssignmentOperation assignment)
                {
                    Reassign(assignment, state);
                }
            }

            valuation = flagLocals.AfterBlock(block.Ordinal, valuation);
            var fallThrough = block.FallThroughSuccessor;
            if (fallThrough?.Semantics == ControlFlowBranchSemantics.Throw)
            {
                LeaveByException(block, valuation, state, ExceptionRegions.ThrownType(block.BranchValue), ExitLocator.ThrowSyntax(block));
                return;
            }

            if (fallThrough?.Semantics == ControlFlowBranchSemantics.Rethrow)
            {
                LeaveByException(block, valuation, state, ExceptionRegions.HandlerExceptionType(block), ExitLocator.RethrowSyntax(block, graph));
                return;
            }

            if (block.ConditionalSuccessor is { } conditional)
            {
                var (whenTrue, whenFalse) = Branch(block.BranchValue, state);
                var conditionalIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                var conditionalValuation = valuation;
                if (flagLocals.TryRefine(block, conditionalIsTrue, resolver.Captures, ref conditionalValuation))
                {
                    Follow(block, conditionalValuation, conditional, conditionalIsTrue ? whenTrue : whenFalse);
                }

                var fallThroughValuation = valuation;
                if (flagLocals.TryRefine(block, !conditionalIsTrue, resolver.Captures, ref fallThroughValuation))
                {
                    Follow(block, fallThroughValuation, fallThrough, conditionalIsTrue ? whenFalse : whenTrue);
                }
            }
            else
            {
                Follow(block, valuation, fallThrough, state);
            }
        }

        /// <summary>Applies one call; returns it when the path cannot go on after it (it always throws).</summary>
        private IInvocationOperation? Apply(IInvocationOperation call, byte[] state)
        {
            if (siteOfCall.TryGetValue(call, out var issued))
            {
                state[issued.Index] = Issued;
                return null;
            }

            if (!Any(state))
            {
                return null;
            }

            if (CompletionWaits.IsCompletionWait(call))
            {
                System.Array.Clear(state, 0, state.Length);
                return null;
            }

            ReportReleases(call, state);

            var method = call.TargetMethod;
            if (NativeEntryPoints.IsInSource(method) && facts.Helpers.AsksPending(method))
            {
                for (var i = 0; i < state.Length; i++)
                {
                    state[i] = (byte)(state[i] & KnownPending);
                }

                return null;
            }

            return facts.Symbols.IsDoesNotReturn(method) || (NativeEntryPoints.IsInSource(method) && facts.Helpers.AlwaysThrows(method)) ? call : null;
        }

        private void ReportReleases(IInvocationOperation call, byte[] state)
        {
            foreach (var site in sites)
            {
                if ((state[site.Index] & Running) == 0)
                {
                    continue;
                }

                if (releases.Classify(call, site, out var released) is { } kind)
                {
                    Report(new PrematureReleaseFinding(kind, call.Syntax, site, call.TargetMethod.Name, released?.DisplayName));
                    state[site.Index] = 0;
                }
            }
        }

        /// <summary>A new OVERLAPPED in the variable the call was handed: the old operation is no longer this code's to release.</summary>
        private void Reassign(ISimpleAssignmentOperation assignment, byte[] state)
        {
            var target = resolver.Unwrap(assignment.Target) is ILocalReferenceOperation local ? ReceiverKey.ForVariable(local.Local) : resolver.Resolve(assignment.Target);
            if (target is null)
            {
                return;
            }

            foreach (var site in sites)
            {
                if (state[site.Index] != 0 && site.OverlappedKeys.Any(key => key.StartsWith(target)))
                {
                    state[site.Index] = 0;
                }
            }
        }

        /// <summary>The states on the true and the false side of a branch.</summary>
        private (byte[] WhenTrue, byte[] WhenFalse) Branch(IOperation? condition, byte[] state)
        {
            // No call watched (before the first I/O call, after the last is settled): both sides are the block's own empty
            // state. Follow and JoinInto only read a state they are given (a finally is applied to a copy).
            if (!Any(state))
            {
                return (state, state);
            }

            var whenTrue = (byte[])state.Clone();
            var whenFalse = (byte[])state.Clone();

            var testsResult = false;
            foreach (var site in sites)
            {
                var (onTrue, onFalse) = ResultTests.Evaluate(condition, site, resolver.Captures);
                if (onTrue == IoOutcome.None && onFalse == IoOutcome.None)
                {
                    continue;
                }

                testsResult = true;
                whenTrue[site.Index] = Outcome(state[site.Index], onTrue);
                whenFalse[site.Index] = Outcome(state[site.Index], onFalse);
            }

            // A test of a call's result says nothing about the error (0 = FALSE is not "error 0").
            if (!testsResult)
            {
                var (errorWhenTrue, errorWhenFalse) = FailureBranches.Evaluate(condition, resolver.Captures);
                for (var i = 0; i < state.Length; i++)
                {
                    whenTrue[i] = Knowledge(state[i], errorWhenTrue);
                    whenFalse[i] = Knowledge(state[i], errorWhenFalse);
                }
            }

            return (whenTrue, whenFalse);
        }

        private static byte Outcome(byte flags, IoOutcome outcome) => outcome switch
        {
            IoOutcome.Succeeded => 0,
            IoOutcome.FailedOrPending when (flags & Issued) != 0 => (byte)((flags & ~Issued) | FailedOrPending),
            _ => flags,
        };

        private static byte Knowledge(byte flags, ErrorKnowledge knowledge) => knowledge switch
        {
            ErrorKnowledge.Pending when (flags & (Issued | FailedOrPending)) != 0 => (byte)((flags & KnownPending) | KnownPending),
            ErrorKnowledge.NotPending or ErrorKnowledge.Success => 0,
            _ => flags,
        };

        private void Follow(BasicBlock block, int valuation, ControlFlowBranch? branch, byte[] state)
        {
            if (branch is null || ConstantBranches.IsNeverTaken(block, branch))
            {
                return;
            }

            if (!branch.FinallyRegions.IsEmpty)
            {
                state = (byte[])state.Clone();
                foreach (var region in branch.FinallyRegions)
                {
                    ApplyFinally(region, state);
                }
            }

            if (branch.Destination is { } destination)
            {
                JoinInto(destination.Ordinal, valuation, state);
            }
        }

        private void LeaveByException(BasicBlock block, int valuation, byte[] state, ITypeSymbol? thrownType, SyntaxNode? throwSyntax)
        {
            var route = ExceptionRegions.Route(block, thrownType);
            if (route.LeavesMethod && throwSyntax != null)
            {
                foreach (var site in sites)
                {
                    // Throwing reports as failed an operation that is still running; on a known-pending path it is the
                    // finally's free that does the harm, reported below.
                    if ((state[site.Index] & FailedOrPending) != 0)
                    {
                        Report(new PrematureReleaseFinding(PrematureKind.ReportedAsFailed, throwSyntax, site, null, null));
                        state[site.Index] = 0;
                    }
                }
            }

            foreach (var region in route.FinallyRegions)
            {
                ApplyFinally(region, state);
            }

            foreach (var handler in route.Handlers)
            {
                JoinInto(handler.FirstBlockOrdinal, valuation, state);
            }
        }

        private void ApplyFinally(ControlFlowRegion region, byte[] state)
        {
            if (!Any(state))
            {
                return;
            }

            foreach (var call in UnconditionalCalls(region))
            {
                if (CompletionWaits.IsCompletionWait(call))
                {
                    System.Array.Clear(state, 0, state.Length);
                    return;
                }

                ReportReleases(call, state);
            }
        }

        /// <summary>
        /// The calls a finally region makes on every run: those before its first branch. A free guarded by a flag
        /// (<c>if (!pending) Free(ov);</c>) is the correct pattern and is not counted.
        /// </summary>
        private ImmutableArray<IInvocationOperation> UnconditionalCalls(ControlFlowRegion region)
        {
            if (finallyCalls.TryGetValue(region, out var calls))
            {
                return calls;
            }

            var builder = ImmutableArray.CreateBuilder<IInvocationOperation>();
            for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
            {
                var block = graph.Blocks[ordinal];
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    if (operation is IInvocationOperation call)
                    {
                        builder.Add(call);
                    }
                }

                if (block.ConditionalSuccessor != null)
                {
                    break;
                }
            }

            calls = builder.ToImmutable();
            finallyCalls[region] = calls;
            return calls;
        }

        private void Report(PrematureReleaseFinding finding)
        {
            if (reporting && findings.Count < MaxFindings && !findings.ContainsKey(finding.Node))
            {
                findings.Add(finding.Node, finding);
            }
        }

        private void JoinInto(int ordinal, int valuation, byte[] state)
        {
            var entries = entryStates[ordinal] ??= new Dictionary<int, byte[]>();
            if (!entries.TryGetValue(valuation, out var existing))
            {
                entries[valuation] = (byte[])state.Clone();
                worklist.Add(ordinal);
                return;
            }

            var changed = false;
            for (var i = 0; i < state.Length; i++)
            {
                var joined = (byte)(existing[i] | state[i]);
                if (joined != existing[i])
                {
                    existing[i] = joined;
                    changed = true;
                }
            }

            if (changed)
            {
                worklist.Add(ordinal);
            }
        }

        private static bool Any(byte[] state)
        {
            foreach (var flags in state)
            {
                if (flags != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
