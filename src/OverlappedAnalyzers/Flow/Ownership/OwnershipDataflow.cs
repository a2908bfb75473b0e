using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// The ownership dataflow over one ControlFlowGraph, given the per-block <see cref="OwnershipEffects"/>: for each
    /// holder, the set of allocation sites it may hold (a bit set, with one bit for "may hold nothing" and one for
    /// "what a member held on entry"), joined by union and iterated to a fixed point. A second, reporting pass over
    /// the fixed point finds locals that still hold a site at an exit or are overwritten while holding one, records
    /// what a member may hold where an allocation is stored into it, and which members are known empty at each call
    /// of a helper of the type. Explicit throws reach the catch handlers that may catch them; finally regions free
    /// what they free on every exit that leaves their try.
    /// </summary>
    internal sealed class OwnershipDataflow
    {
        private const ulong Clear = 1;
        private const ulong Entry = 2;
        private const int FirstSiteBit = 2;

        /// <summary>Sites beyond this do not fit the bit set beside <see cref="Clear"/> and <see cref="Entry"/>.</summary>
        public const int MaxSites = 62;

        private readonly ControlFlowGraph graph;
        private readonly OwnershipEffects effects;
        private readonly IMethodSymbol? owningMethod;
        private readonly bool isConstructor;
        private readonly Func<IMethodSymbol, ISymbol, bool> calleeFrees;
        private readonly OwnershipResult result;
        private readonly WorkMeter? meter;
        private readonly CancellationToken cancellationToken;

        private readonly ulong[]?[] entryStates;
        private readonly SortedSet<int> worklist = new SortedSet<int>();
        private readonly Dictionary<ControlFlowRegion, ImmutableArray<int>> finallyReleases = new Dictionary<ControlFlowRegion, ImmutableArray<int>>();
        private readonly HashSet<(int Site, LeakReason Reason, SyntaxNode? Exit)> reported = new HashSet<(int, LeakReason, SyntaxNode?)>();
        private readonly HashSet<int> storeRecorded = new HashSet<int>();
        private readonly HashSet<(int Site, int Member)> transferRecorded = new HashSet<(int, int)>();
        private bool reporting;

        private OwnershipDataflow(
            ControlFlowGraph graph,
            OwnershipEffects effects,
            IMethodSymbol? owningMethod,
            bool isConstructor,
            Func<IMethodSymbol, ISymbol, bool> calleeFrees,
            OwnershipResult result,
            WorkMeter? meter,
            CancellationToken cancellationToken)
        {
            this.graph = graph;
            this.effects = effects;
            this.owningMethod = owningMethod;
            this.isConstructor = isConstructor;
            this.calleeFrees = calleeFrees;
            this.result = result;
            this.meter = meter;
            this.cancellationToken = cancellationToken;
            entryStates = new ulong[]?[graph.Blocks.Length];
        }

        /// <summary>
        /// Solves the dataflow and writes its findings into <paramref name="result"/>. <paramref name="isConstructor"/>:
        /// members start empty; <paramref name="calleeFrees"/>: whether a helper of the type frees a member.
        /// </summary>
        public static void Solve(
            ControlFlowGraph graph,
            OwnershipEffects effects,
            IMethodSymbol? owningMethod,
            bool isConstructor,
            Func<IMethodSymbol, ISymbol, bool> calleeFrees,
            OwnershipResult result,
            WorkMeter? meter,
            CancellationToken cancellationToken) =>
            new OwnershipDataflow(graph, effects, owningMethod, isConstructor, calleeFrees, result, meter, cancellationToken).Solve();

        private int KeyCount => effects.Keys.Count;

        private void Solve()
        {
            var initial = new ulong[KeyCount];
            var empty = new ulong[KeyCount];
            for (var k = 0; k < KeyCount; k++)
            {
                // A constructor starts with its own members empty; a static outlives every instance constructor.
                var startsEmpty = !effects.IsMember(k) || (isConstructor && effects.Keys[k].Symbol.IsStatic == (owningMethod?.IsStatic ?? false));
                initial[k] = startsEmpty ? Clear : Entry;
                empty[k] = Clear;
            }

            JoinInto(0, initial);
            foreach (var block in graph.Blocks)
            {
                // Any call inside a try may throw, so every handler is reachable even when no explicit throw gets there: it
                // starts holding nothing (precision first), and the states at try entry and at explicit throws join in.
                var region = block.EnclosingRegion;
                if (region.FirstBlockOrdinal == block.Ordinal && region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    JoinInto(block.Ordinal, empty);
                }
            }

            // Finite lattice (bit sets): terminates; the budget guards the IDE against a bug turning into a hang.
            var budget = (graph.Blocks.Length + 1) * 64;
            while (worklist.Count > 0 && budget-- > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.Min;
                worklist.Remove(ordinal);
                Process(graph.Blocks[ordinal]);
            }

            if (worklist.Count > 0)
            {
                result.LocalLeaks.Clear();
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
            meter?.Visit(nameof(OwnershipAnalysis), graph);
            var entry = entryStates[block.Ordinal];
            if (entry is null || block.Kind == BasicBlockKind.Exit)
            {
                return;
            }

            var state = (ulong[])entry.Clone();
            PropagateToHandlersOnTryEntry(block, state);
            foreach (var effect in effects.EffectsOf(block.Ordinal))
            {
                switch (effect.Kind)
                {
                    case OwnershipEffectKind.Alloc:
                        var site = effects.Sites[effect.Site];
                        if (effects.IsMember(effect.Key))
                        {
                            RecordFieldStore(site, state[effect.Key]);
                        }
                        else
                        {
                            ReportSites(state[effect.Key], LeakReason.Overwritten, null, definiteState: 0);
                        }

                        state[effect.Key] = SiteBit(effect.Site);
                        break;
                    case OwnershipEffectKind.Free:
                    case OwnershipEffectKind.Escape:
                        state[effect.Key] = Clear;
                        break;
                    case OwnershipEffectKind.Transfer:
                        RecordTransferStores(effect, state[effect.Key], state[effect.TargetKey]);
                        state[effect.TargetKey] = state[effect.Key];
                        state[effect.Key] = Clear;
                        break;
                    case OwnershipEffectKind.Overwrite:
                        if (!effects.IsMember(effect.Key))
                        {
                            ReportSites(state[effect.Key], LeakReason.Overwritten, null, definiteState: 0);
                        }

                        state[effect.Key] = Clear;
                        break;
                    case OwnershipEffectKind.Call:
                        RecordCall(effect, state);
                        for (var k = 0; k < KeyCount; k++)
                        {
                            if (effects.IsMember(k) && calleeFrees(effect.Callee!, effects.Keys[k].Symbol))
                            {
                                state[k] = Clear;
                            }
                        }

                        break;
                    case OwnershipEffectKind.DoesNotReturn:
                        LeaveByException(block, state, null, LeakReason.DoesNotReturn, ExitLocator.DoesNotReturnSyntax(effect.Operation));
                        return;
                }
            }

            var guard = effects.GuardOf(block.Ordinal);
            if (block.ConditionalSuccessor != null)
            {
                var conditionalIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                Follow(block, Refine(state, guard, conditionalIsTrue), block.ConditionalSuccessor);
                Follow(block, Refine(state, guard, !conditionalIsTrue), block.FallThroughSuccessor);
            }
            else
            {
                Follow(block, state, block.FallThroughSuccessor);
            }
        }

        /// <summary>The state on the branch where the block's condition is <paramref name="valueIsTrue"/>: a tested holder may be empty there.</summary>
        private static ulong[] Refine(ulong[] state, OwnershipGuard? guard, bool valueIsTrue)
        {
            if (guard is not { } test || test.ClearWhenTrue != valueIsTrue)
            {
                return state;
            }

            var refined = (ulong[])state.Clone();
            refined[test.Key] = Clear;
            return refined;
        }

        private void Follow(BasicBlock block, ulong[] state, ControlFlowBranch? branch)
        {
            if (branch is null || ConstantBranches.IsNeverTaken(block, branch))
            {
                return;
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Throw:
                    LeaveByException(block, state, ExceptionRegions.ThrownType(block.BranchValue), LeakReason.Throw, ExitLocator.ThrowSyntax(block));
                    return;
                case ControlFlowBranchSemantics.Rethrow:
                    LeaveByException(block, state, null, LeakReason.Throw, ExitLocator.RethrowSyntax(block, graph));
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
                JoinInto(destination.Ordinal, state);
            }
            else if (branch.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue != null)
            {
                ReportExit(state, LeakReason.Return, ExitLocator.ReturnSyntax(block));
            }
            else
            {
                ReportExit(state, LeakReason.EndOfMethod, null);
            }
        }

        private void LeaveByException(BasicBlock block, ulong[] state, ITypeSymbol? thrownType, LeakReason reason, SyntaxNode? syntax)
        {
            var route = ExceptionRegions.Route(block, thrownType);
            foreach (var finallyRegion in route.FinallyRegions)
            {
                state = ApplyFinally(state, finallyRegion);
            }

            if (route.LeavesMethod)
            {
                ReportExit(state, reason, syntax);
                return;
            }

            foreach (var handler in route.Handlers)
            {
                JoinInto(handler.FirstBlockOrdinal, state);
            }
        }

        private void PropagateToHandlersOnTryEntry(BasicBlock block, ulong[] state)
        {
            foreach (var handler in ExceptionRegions.HandlersOfTriesStartingAt(block))
            {
                JoinInto(handler.FirstBlockOrdinal, state);
            }
        }

        /// <summary>A finally region frees (or hands on) on every exit that leaves its try what it frees anywhere.</summary>
        private ulong[] ApplyFinally(ulong[] state, ControlFlowRegion finallyRegion)
        {
            if (!finallyReleases.TryGetValue(finallyRegion, out var released))
            {
                var indices = new SortedSet<int>();
                for (var ordinal = finallyRegion.FirstBlockOrdinal; ordinal <= finallyRegion.LastBlockOrdinal; ordinal++)
                {
                    foreach (var effect in effects.EffectsOf(ordinal))
                    {
                        if (effect.Kind is OwnershipEffectKind.Free or OwnershipEffectKind.Escape or OwnershipEffectKind.Transfer)
                        {
                            indices.Add(effect.Key);
                        }
                    }
                }

                released = indices.ToImmutableArray();
                finallyReleases[finallyRegion] = released;
            }

            if (released.IsEmpty)
            {
                return state;
            }

            var freed = (ulong[])state.Clone();
            foreach (var index in released)
            {
                freed[index] = Clear;
            }

            return freed;
        }

        private void ReportExit(ulong[] state, LeakReason reason, SyntaxNode? syntax)
        {
            if (!reporting)
            {
                return;
            }

            for (var k = 0; k < KeyCount; k++)
            {
                if (!effects.IsMember(k))
                {
                    ReportSites(state[k], reason, syntax, state[k]);
                }
            }
        }

        private void ReportSites(ulong state, LeakReason reason, SyntaxNode? exit, ulong definiteState)
        {
            if (!reporting)
            {
                return;
            }

            for (var site = 0; site < effects.Sites.Count; site++)
            {
                if ((state & SiteBit(site)) != 0 && reported.Add((site, reason, exit)))
                {
                    result.LocalLeaks.Add(new LocalLeak(effects.Sites[site], reason, exit, definiteState == SiteBit(site)));
                }
            }
        }

        private void RecordFieldStore(AllocationSite site, ulong state)
        {
            if (reporting && storeRecorded.Add(site.Index))
            {
                result.FieldStores.Add(new FieldStore(site, owningMethod, isConstructor, (state & Entry) != 0, (state & ~(Clear | Entry)) != 0));
            }
        }

        /// <summary><c>m_block = p;</c>: each site the local may hold is now stored into the member, as if allocated there.</summary>
        private void RecordTransferStores(OwnershipEffect transfer, ulong moved, ulong memberState)
        {
            if (!reporting)
            {
                return;
            }

            for (var site = 0; site < effects.Sites.Count; site++)
            {
                if ((moved & SiteBit(site)) != 0 && transferRecorded.Add((site, transfer.TargetKey)))
                {
                    result.FieldStores.Add(new FieldStore(effects.MemberSite(site, transfer.TargetKey), owningMethod, isConstructor, (memberState & Entry) != 0, (memberState & ~(Clear | Entry)) != 0));
                }
            }
        }

        private void RecordCall(OwnershipEffect effect, ulong[] state)
        {
            if (!reporting || owningMethod is null)
            {
                return;
            }

            var clear = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            var tracked = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            for (var k = 0; k < KeyCount; k++)
            {
                if (effects.IsMember(k))
                {
                    var member = effects.Keys[k].Symbol.OriginalDefinition;
                    tracked.Add(member);
                    if (state[k] == Clear)
                    {
                        clear.Add(member);
                    }
                }
            }

            result.HelperCalls.Add(new HelperCall(owningMethod, isConstructor, effect.Callee!, clear.ToImmutable(), tracked.ToImmutable()));
        }

        private void JoinInto(int ordinal, ulong[] state)
        {
            if (reporting)
            {
                return;
            }

            var existing = entryStates[ordinal];
            if (existing is null)
            {
                entryStates[ordinal] = (ulong[])state.Clone();
                worklist.Add(ordinal);
                return;
            }

            var changed = false;
            for (var i = 0; i < existing.Length; i++)
            {
                var joined = existing[i] | state[i];
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

        private static ulong SiteBit(int site) => 1UL << (site + FirstSiteBit);
    }
}
