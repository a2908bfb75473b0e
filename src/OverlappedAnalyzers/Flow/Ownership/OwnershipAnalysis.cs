using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// OVL003/OVL005 over one ControlFlowGraph: which allocations (GCHandles, native blocks) a local or a member of
    /// the containing type may hold at each point. Two stages: <see cref="OwnershipEffects"/> classifies how each
    /// value is used (<see cref="ValueUseClassifier"/>) and turns the graph into per-block effects on the holders;
    /// <see cref="OwnershipDataflow"/> iterates them to a fixed point and reports. A free, or a hand-off the analysis
    /// cannot see through, ends ownership — precision first: a value that escaped is somebody else's to free.
    /// Locals that still hold a site at an exit, or are overwritten while holding one, are leaks; for members the
    /// graph only records what they may hold where they are re-assigned, and <see cref="TypeOwnership"/> decides at
    /// symbol end.
    /// </summary>
    internal static class OwnershipAnalysis
    {
        /// <summary>
        /// Analyses one graph. <paramref name="isConstructor"/>: members start empty (the graph is a constructor body);
        /// <paramref name="calleeFrees"/> answers whether a helper of the same type frees a member (one level, syntactic);
        /// <paramref name="lenders"/> whether a method of the compilation only lends what it is passed;
        /// <paramref name="meter"/>, passed only by test hosts, counts the solver's block visits.
        /// </summary>
        public static OwnershipResult Analyze(
            ControlFlowGraph graph,
            NativeAllocations allocations,
            INamedTypeSymbol containingType,
            ImmutableHashSet<ISymbol> candidateMembers,
            IMethodSymbol? owningMethod,
            bool isConstructor,
            Func<IMethodSymbol, ISymbol, bool> calleeFrees,
            SourceLenders? lenders,
            CancellationToken cancellationToken,
            WorkMeter? meter = null)
        {
            var result = new OwnershipResult();
            var effects = new OwnershipEffects(graph, allocations, containingType, candidateMembers, owningMethod, lenders, result, cancellationToken);
            effects.FindSites();
            if (effects.Sites.Count > OwnershipDataflow.MaxSites)
            {
                // Too many sites for the bit set: say nothing rather than something wrong.
                result.LocalLeaks.Clear();
                return result;
            }

            if (effects.Sites.Count == 0 && candidateMembers.IsEmpty)
            {
                // Nothing allocated here and no member that could hold an allocation: no effect can matter.
                return result;
            }

            effects.CollectEffects();
            if (effects.Keys.Count == 0 && !effects.HasHelperCalls)
            {
                return result;
            }

            WrappableSites.Find(effects, graph.Blocks.Length, result);
            OwnershipDataflow.Solve(graph, effects, owningMethod, isConstructor, calleeFrees, result, meter, cancellationToken);
            return result;
        }
    }
}
