using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>
    /// Forward dataflow over a ControlFlowGraph: which started receivers are pending, failed (a synchronous
    /// failure was established after the start) or finished at each block, joined by union and iterated to a
    /// fixed point. Exits reached with a failed receiver are OVL001/OVL002 findings.
    /// Exceptional flow is modelled explicitly: an explicit throw inside a try reaches its catch handlers,
    /// and finally regions finish what they finish on every exit that leaves their try.
    /// Each block keeps one state per valuation of the graph's bool flags (<see cref="FlagLocals"/>): a failure branch
    /// that sets <c>cleanup = true</c> and a later <c>if (cleanup) ov.Complete();</c> are correlated, not joined.
    /// </summary>
    internal sealed class PendingAnalysis
    {
        /// <summary>
        /// Findings one graph may report. Every exit reports every leaking receiver, so a method with thousands
        /// of started overlappeds would report quadratically many (2,000 receivers: about two million) and stall
        /// the IDE; the first thousand, in graph order, say all there is to say.
        /// </summary>
        private const int MaxFindings = 1000;

        private readonly ControlFlowGraph graph;
        private readonly GraphEffects effects;
        private readonly FlagLocals flags;
        private readonly Dictionary<int, ReceiverFact[]>?[] entryStates;
        private readonly SortedSet<int> worklist = new SortedSet<int>();
        private readonly Dictionary<ControlFlowRegion, ImmutableArray<int>> finallyFinishes = new Dictionary<ControlFlowRegion, ImmutableArray<int>>();
        private readonly Dictionary<(FindingKind, SyntaxNode, int), PendingFinding> findings = new Dictionary<(FindingKind, SyntaxNode, int), PendingFinding>();
        private bool reporting;
        private readonly WorkMeter? meter;

        private PendingAnalysis(ControlFlowGraph graph, GraphEffects effects, WorkMeter? meter)
        {
            this.graph = graph;
            this.effects = effects;
            this.meter = meter;
            flags = FlagLocals.Create(graph, effects.Resolver.Captures);
            entryStates = new Dictionary<int, ReceiverFact[]>?[graph.Blocks.Length];
        }

        public static ImmutableArray<PendingFinding> Analyze(ControlFlowGraph graph, GraphEffects effects, CancellationToken cancellationToken, WorkMeter? meter = null)
        {
            var analysis = new PendingAnalysis(graph, effects, meter);
            analysis.Run(cancellationToken);
            return analysis.findings.Values
                .OrderBy(f => f.Node.SpanStart)
                .ThenBy(f => f.Kind)
                .ThenBy(f => f.Receiver.Index)
                .ToImmutableArray();
        }

        private void Run(CancellationToken cancellationToken)
        {
            var initial = Enumerable.Repeat(ReceiverFact.NotStarted, effects.Receivers.Length).ToArray();
            JoinInto(0, FlagLocals.Unknown, initial);

            // Handlers and finally blocks have no normal predecessors: start them empty, so starts inside them
            // are analysed too; exceptional paths join into them as they are found.
            foreach (var block in graph.Blocks)
            {
                var region = block.EnclosingRegion;
                if (region.FirstBlockOrdinal == block.Ordinal && region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    JoinInto(block.Ordinal, FlagLocals.Unknown, initial);
                }
            }

            // The lattice is finite (state bits and sets of operations of this graph, at most 3^MaxFlags valuations per
            // block), so this terminates; the bound is a guard against a bug turning into a hang in the IDE.
            var budget = (graph.Blocks.Length + 1) * 64 * (flags.Count + 1);
            while (worklist.Count > 0 && budget-- > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.Min;
                worklist.Remove(ordinal);
                Process(graph.Blocks[ordinal]);
            }

            if (worklist.Count > 0)
            {
                // Did not converge: say nothing rather than something wrong.
                return;
            }

            reporting = true;
            foreach (var block in graph.Blocks)
            {
                Process(block);
            }
        }

        private void Process(BasicBlock block)
        {
            meter?.Visit(nameof(PendingAnalysis), graph);
            var entries = entryStates[block.Ordinal];
            if (entries is null || block.Kind == BasicBlockKind.Exit || !block.IsReachable)
            {
                return;
            }

            if (entries.Count == 1)
            {
                // The common case: no flags in the graph, or one valuation reaches this block.
                foreach (var entry in entries)
                {
                    Process(block, entry.Key, entry.Value);
                    return;
                }
            }

            // Processing may add valuations to this very block (a loop back edge): iterate over a snapshot, in a fixed order.
            foreach (var entry in entries.OrderBy(e => e.Key).ToArray())
            {
                Process(block, entry.Key, entry.Value);
            }
        }

        private void Process(BasicBlock block, int valuation, ReceiverFact[] entry)
        {
            var state = (ReceiverFact[])entry.Clone();
            PropagateToHandlersOnTryEntry(block, state);

            foreach (var effect in effects.PerBlock[block.Ordinal])
            {
                if (effect.Kind == EffectKind.DoesNotReturn)
                {
                    LeaveByException(block, valuation, state, thrownType: null, ExitKind.DoesNotReturnCall, ExitLocator.DoesNotReturnSyntax(effect.Operation));
                    return;
                }

                var fact = state[effect.Receiver];
                if (effect.Kind == EffectKind.Start && fact.Has(PendingState.HandedToNative) && reporting)
                {
                    var nativeCalls = fact.NativeCalls.OrderBy(c => c.Syntax.SpanStart).ToImmutableArray();
                    Add(new PendingFinding(FindingKind.StartedAfterIoCall, effect.Operation.Syntax, effects.Receivers[effect.Receiver], ExitKind.EndOfBranch, nativeCalls, null));
                }

                state[effect.Receiver] = effect.Kind switch
                {
                    EffectKind.Start => fact.Start(effect.Operation),
                    EffectKind.Finish or EffectKind.Forget => fact.Finish(),
                    EffectKind.HandOff => fact.FinishFailed(),
                    EffectKind.WrongFinish => fact.FinishWrongOverlapped(effect.Operation),
                    EffectKind.HandToNative => fact.HandToNative(effect.Operation),
                    _ => fact,
                };
            }

            valuation = flags.AfterBlock(block.Ordinal, valuation);
            if (block.ConditionalSuccessor != null)
            {
                var captures = effects.Resolver.Captures;
                var (whenTrue, whenFalse) = FailureBranches.Evaluate(block.BranchValue, captures);
                var conditionalIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                var conditionalValuation = valuation;
                if (flags.TryRefine(block, conditionalIsTrue, captures, ref conditionalValuation))
                {
                    Follow(block, conditionalValuation, state, block.ConditionalSuccessor, conditionalIsTrue ? whenTrue : whenFalse);
                }

                var fallThroughValuation = valuation;
                if (flags.TryRefine(block, !conditionalIsTrue, captures, ref fallThroughValuation))
                {
                    Follow(block, fallThroughValuation, state, block.FallThroughSuccessor, conditionalIsTrue ? whenFalse : whenTrue);
                }
            }
            else
            {
                Follow(block, valuation, state, block.FallThroughSuccessor, ErrorKnowledge.Unknown);
            }
        }

        private void Follow(BasicBlock block, int valuation, ReceiverFact[] state, ControlFlowBranch? branch, ErrorKnowledge knowledge)
        {
            if (branch is null || ConstantBranches.IsNeverTaken(block, branch))
            {
                return;
            }

            if (knowledge == ErrorKnowledge.NotPending)
            {
                state = Map(state, fact => fact.EstablishFailure(branch));
            }
            else if (knowledge is ErrorKnowledge.Success or ErrorKnowledge.Pending)
            {
                // "error != 997 || error == 0": the second test shows this path succeeded after all; its completion
                // arrives through the port. Only receivers still unchecked can fail at a later check: in
                // "start A; call A; check A; start B; call B; check B" B's failure leaves A in flight, not leaked.
                state = Map(state, fact => fact.ConfirmInFlight());
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Throw:
                    var thrown = ExitLocator.ThrowSyntax(block);
                    if (thrown is ThrowStatementSyntax or ThrowExpressionSyntax)
                    {
                        // Compiler-generated throws (an unmatched switch expression) are not the user's exits.
                        LeaveByException(block, valuation, state, ExceptionRegions.ThrownType(block.BranchValue), ExitKind.Throw, thrown);
                    }

                    return;
                case ControlFlowBranchSemantics.Rethrow:
                    LeaveByException(block, valuation, state, ExceptionRegions.HandlerExceptionType(block), ExitKind.Throw, ExitLocator.RethrowSyntax(block, graph));
                    return;
                case ControlFlowBranchSemantics.Regular:
                case ControlFlowBranchSemantics.Return:
                    break;
                default:
                    return;
            }

            foreach (var finallyRegion in branch.FinallyRegions)
            {
                state = ApplyFinally(state, finallyRegion);
            }

            var destination = branch.Destination;
            if (destination is null)
            {
                return;
            }

            if (destination.Kind != BasicBlockKind.Exit)
            {
                JoinInto(destination.Ordinal, valuation, state);
            }
            else if (branch.Semantics == ControlFlowBranchSemantics.Return)
            {
                ReportExit(state, ExitKind.Return, ExitLocator.ReturnSyntax(block), block.BranchValue);
            }
            else if (ExitLocator.VoidReturnSyntax(block, branch) is { } voidReturn)
            {
                ReportExit(state, ExitKind.Return, voidReturn, null);
            }
            else
            {
                ReportExit(state, ExitKind.EndOfBranch, null, null);
            }
        }

        /// <summary>
        /// An exception leaves the block: the innermost try whose handlers may catch it receives the state;
        /// finally regions on the way finish what they finish; with no handler, the method exits here.
        /// </summary>
        private void LeaveByException(BasicBlock block, int valuation, ReceiverFact[] state, ITypeSymbol? thrownType, ExitKind kind, SyntaxNode? syntax)
        {
            var route = ExceptionRegions.Route(block, thrownType);
            foreach (var finallyRegion in route.FinallyRegions)
            {
                state = ApplyFinally(state, finallyRegion);
            }

            if (route.LeavesMethod)
            {
                ReportExit(state, kind, syntax, null);
                return;
            }

            foreach (var handler in route.Handlers)
            {
                JoinInto(handler.FirstBlockOrdinal, valuation, state);
            }
        }

        /// <summary>
        /// Code in a try may throw anywhere: its handlers see the state at try entry, minus any failure, and nothing
        /// about the flags (the try may have set them before throwing).
        /// </summary>
        private void PropagateToHandlersOnTryEntry(BasicBlock block, ReceiverFact[] state)
        {
            ReceiverFact[]? forgotten = null;
            foreach (var handler in ExceptionRegions.HandlersOfTriesStartingAt(block))
            {
                forgotten ??= Map(state, fact => fact.ForgetFailure());
                JoinInto(handler.FirstBlockOrdinal, FlagLocals.Unknown, forgotten);
            }
        }

        private ReceiverFact[] ApplyFinally(ReceiverFact[] state, ControlFlowRegion finallyRegion)
        {
            if (!finallyFinishes.TryGetValue(finallyRegion, out var finished))
            {
                var indices = new SortedSet<int>();
                for (var ordinal = finallyRegion.FirstBlockOrdinal; ordinal <= finallyRegion.LastBlockOrdinal; ordinal++)
                {
                    foreach (var effect in effects.PerBlock[ordinal])
                    {
                        if (effect.Kind is EffectKind.Finish or EffectKind.HandOff)
                        {
                            indices.Add(effect.Receiver);
                        }
                    }
                }

                finished = indices.ToImmutableArray();
                finallyFinishes[finallyRegion] = finished;
            }

            if (finished.IsEmpty)
            {
                return state;
            }

            var result = (ReceiverFact[])state.Clone();
            foreach (var index in finished)
            {
                result[index] = result[index].Finish();
            }

            return result;
        }

        private void ReportExit(ReceiverFact[] state, ExitKind kind, SyntaxNode? syntax, IOperation? returnedValue)
        {
            if (!reporting || findings.Count >= MaxFindings)
            {
                return;
            }

            effects.TryGetTracked(returnedValue, out var returned);
            var returnedKey = returnedValue is null ? null : effects.Resolver.Resolve(returnedValue);
            foreach (var receiver in effects.Receivers)
            {
                var fact = state[receiver.Index];
                if (receiver == returned || (returnedKey != null && returnedKey.IsOwnerObjectOf(receiver.Key)))
                {
                    // Returned to the caller (itself, or the request object that holds it): finishing it is the caller's job now.
                    continue;
                }

                var starts = fact.Starts.OrderBy(s => s.Syntax.SpanStart).ToImmutableArray();
                if (fact.Has(PendingState.Failed))
                {
                    if (syntax != null)
                    {
                        Add(new PendingFinding(FindingKind.NotCompleted, syntax, receiver, kind, starts, null));
                    }
                    else
                    {
                        foreach (var origin in fact.Failures)
                        {
                            var fallOff = ExitLocator.FallOffSyntax(origin);
                            if (fallOff != null)
                            {
                                Add(new PendingFinding(FindingKind.NotCompleted, fallOff, receiver, kind, starts, null));
                            }
                        }
                    }
                }

                if (fact.Has(PendingState.WrongFinished))
                {
                    foreach (var wrongFinish in fact.WrongFinishes)
                    {
                        Add(new PendingFinding(FindingKind.WrongOverlapped, wrongFinish.Syntax, receiver, kind, starts, wrongFinish));
                    }
                }
            }
        }

        private void Add(PendingFinding finding)
        {
            var key = (finding.Kind, finding.Node, finding.Receiver.Index);
            if (findings.TryGetValue(key, out var existing))
            {
                // A fall-off finding reported on the last statement of a failure branch that is itself a throw or a
                // return gives way to the finding of that exit, which words the message and the fix for it.
                if (existing.ExitKind == ExitKind.EndOfBranch && finding.ExitKind != ExitKind.EndOfBranch)
                {
                    findings[key] = finding;
                }
            }
            else if (findings.Count < MaxFindings)
            {
                findings.Add(key, finding);
            }
        }

        private void JoinInto(int ordinal, int valuation, ReceiverFact[] state)
        {
            if (reporting)
            {
                return;
            }

            var entries = entryStates[ordinal] ??= new Dictionary<int, ReceiverFact[]>();
            if (!entries.TryGetValue(valuation, out var existing))
            {
                entries.Add(valuation, (ReceiverFact[])state.Clone());
                worklist.Add(ordinal);
                return;
            }

            var changed = false;
            for (var i = 0; i < existing.Length; i++)
            {
                var joined = existing[i].Join(state[i]);
                if (!ReferenceEquals(joined, existing[i]))
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

        private static ReceiverFact[] Map(ReceiverFact[] state, System.Func<ReceiverFact, ReceiverFact> map)
        {
            var result = new ReceiverFact[state.Length];
            for (var i = 0; i < state.Length; i++)
            {
                result[i] = map(state[i]);
            }

            return result;
        }
    }
}
