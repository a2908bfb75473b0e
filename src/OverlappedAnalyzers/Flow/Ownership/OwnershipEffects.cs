using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// Turns one ControlFlowGraph into what <see cref="OwnershipDataflow"/> iterates: the allocation sites, the
    /// holders that may own them (locals of this graph and members of the containing type, as <see cref="ReceiverKey"/>s),
    /// each block's effects on those holders in evaluation order, and the branch conditions that test a holder
    /// for emptiness. Facts that need no path (a discarded allocation, members freed or handed on somewhere,
    /// frees of values it cannot name) go straight into the <see cref="OwnershipResult"/>.
    /// </summary>
    internal sealed class OwnershipEffects
    {
        private readonly ControlFlowGraph graph;
        private readonly NativeAllocations allocations;
        private readonly INamedTypeSymbol containingType;
        private readonly ImmutableHashSet<ISymbol> candidateMembers;
        private readonly bool returnReleasesMembers;
        private readonly OwnershipResult result;
        private readonly CancellationToken cancellationToken;
        private readonly ReceiverResolver resolver;
        private readonly ValueUseClassifier classifier;

        private readonly List<ReceiverKey> keys = new List<ReceiverKey>();
        private readonly List<bool> keyIsMember = new List<bool>();
        private readonly Dictionary<ReceiverKey, int> keyIndex = new Dictionary<ReceiverKey, int>();
        private readonly List<AllocationSite> sites = new List<AllocationSite>();
        private readonly List<int> siteKey = new List<int>();
        private readonly Dictionary<IOperation, int> siteByOperation = new Dictionary<IOperation, int>();
        private readonly HashSet<IOperation> allocationStores = new HashSet<IOperation>();
        private List<OwnershipEffect>[] perBlock = Array.Empty<List<OwnershipEffect>>();
        private OwnershipGuard?[] guards = Array.Empty<OwnershipGuard?>();
        private readonly Dictionary<(int Site, int Member), AllocationSite> memberSites = new Dictionary<(int, int), AllocationSite>();

        public OwnershipEffects(
            ControlFlowGraph graph,
            NativeAllocations allocations,
            INamedTypeSymbol containingType,
            ImmutableHashSet<ISymbol> candidateMembers,
            IMethodSymbol? owningMethod,
            SourceLenders? lenders,
            OwnershipResult result,
            CancellationToken cancellationToken)
        {
            this.graph = graph;
            this.allocations = allocations;
            this.containingType = containingType;
            this.candidateMembers = candidateMembers;
            this.result = result;
            this.cancellationToken = cancellationToken;

            // A property getter that returns its backing field does not release it: the type still owns it.
            returnReleasesMembers = owningMethod?.MethodKind is not (MethodKind.PropertyGet or null);
            resolver = new ReceiverResolver(graph, new CaptureMap(graph));
            classifier = new ValueUseClassifier(allocations, lenders is null ? null : parameter => lenders.IsLender(parameter, cancellationToken));
        }

        /// <summary>The tracked holders; a site's or effect's key indexes this list.</summary>
        public IReadOnlyList<ReceiverKey> Keys => keys;

        public IReadOnlyList<AllocationSite> Sites => sites;

        public bool IsMember(int key) => keyIsMember[key];

        /// <summary>The holder an allocation site is stored into; -1 when discarded.</summary>
        public int KeyOfSite(int site) => siteKey[site];

        public IReadOnlyList<OwnershipEffect> EffectsOf(int blockOrdinal) => perBlock[blockOrdinal];

        public OwnershipGuard? GuardOf(int blockOrdinal) => guards[blockOrdinal];

        public bool HasHelperCalls => perBlock.Any(effects => effects.Any(e => e.Kind == OwnershipEffectKind.Call));

        // ---- Pass 1: allocation sites and where their results go ----

        /// <summary>Finds every allocation of the graph and the holder it is stored in; discarded results are leaks at once.</summary>
        public void FindSites()
        {
            // Built on the first allocation stored in a local: most graphs store none, and the nested-function scan is not free.
            TrackableLocals? trackable = null;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!allocations.TryGetAllocation(operation, out var family))
                    {
                        continue;
                    }

                    var use = classifier.Classify(operation, block, out var target, out var store);
                    switch (use)
                    {
                        case ValueUse.None:
                            var discarded = AddSite(operation, family, null, null, -1);
                            result.LocalLeaks.Add(new LocalLeak(discarded, LeakReason.Discarded, null, definite: false));
                            break;

                        case ValueUse.StoreLocal when target is ILocalReferenceOperation { Local: { IsRef: false } local }
                                                 && (trackable ??= new TrackableLocals(graph, cancellationToken)).IsTrackable(local):
                            AddSite(operation, family, local, local.Type, KeyIndex(ReceiverKey.ForVariable(local), isMember: false));
                            allocationStores.Add(store!);
                            break;

                        case ValueUse.StoreMember:
                            var key = resolver.Resolve(target);
                            if (key != null && IsOwnMemberKey(key))
                            {
                                AddSite(operation, family, key.Symbol, MemberType(key.Symbol), KeyIndex(key, isMember: true));
                                allocationStores.Add(store!);
                            }

                            break;
                    }
                }
            }
        }

        private AllocationSite AddSite(IOperation operation, AllocationFamily family, ISymbol? holder, ITypeSymbol? holderType, int key)
        {
            var site = new AllocationSite(sites.Count, operation, family, holder, holderType);
            sites.Add(site);
            siteKey.Add(key);
            if (key >= 0)
            {
                siteByOperation[operation] = site.Index;
            }

            return site;
        }

        private int KeyIndex(ReceiverKey key, bool isMember)
        {
            if (!keyIndex.TryGetValue(key, out var index))
            {
                index = keys.Count;
                keys.Add(key);
                keyIsMember.Add(isMember);
                keyIndex.Add(key, index);
            }

            return index;
        }

        // ---- Pass 2: what each block does to the tracked holders ----

        /// <summary>Records each block's effects on the holders <see cref="FindSites"/> found (and on candidate members).</summary>
        public void CollectEffects()
        {
            perBlock = new List<OwnershipEffect>[graph.Blocks.Length];
            guards = new OwnershipGuard?[graph.Blocks.Length];
            foreach (var block in graph.Blocks)
            {
                var effects = new List<OwnershipEffect>();
                perBlock[block.Ordinal] = effects;
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (siteByOperation.TryGetValue(operation, out var site))
                    {
                        effects.Add(new OwnershipEffect(OwnershipEffectKind.Alloc, siteKey[site], operation, site, null));
                        continue;
                    }

                    switch (operation)
                    {
                        case ILocalReferenceOperation:
                        case IFlowCaptureReferenceOperation:
                        case IFieldReferenceOperation:
                        case IPropertyReferenceOperation { Arguments.Length: 0 }:
                            CollectReference(operation, block, effects);
                            break;
                        case IInvocationOperation call:
                            CollectInvocation(call, effects);
                            break;
                    }
                }

                if (block.ConditionalSuccessor != null && block.BranchValue != null && OwnershipGuard.TryRead(block.BranchValue, resolver, keyIndex, out var guard))
                {
                    guards[block.Ordinal] = guard;
                }
            }

            ResolveLendsAndTransfers();
        }

        private void CollectReference(IOperation operation, BasicBlock block, List<OwnershipEffect> effects)
        {
            var key = resolver.Resolve(operation);
            var member = (operation as IMemberReferenceOperation)?.Member;
            if (member is null || !candidateMembers.Contains(member.OriginalDefinition))
            {
                // A local the resolver knows as another name for a member (var h = m_handle;).
                member = key != null && key.Symbol is IFieldSymbol or IPropertySymbol ? key.Symbol : null;
            }

            var isCandidate = member != null && candidateMembers.Contains(member.OriginalDefinition);
            var index = -1;
            if (key != null && !keyIndex.TryGetValue(key, out index))
            {
                index = isCandidate && IsOwnMemberKey(key) ? KeyIndex(key, isMember: true) : -1;
            }

            if (index < 0 && !isCandidate)
            {
                return;
            }

            var use = classifier.Classify(operation, block, out var target, out var store);
            if (isCandidate && (use is ValueUse.Free or ValueUse.Escape || (use == ValueUse.StoreMember && !allocationStores.Contains(store!)) || (use == ValueUse.StoreLocal && !IsAlias(target, key))))
            {
                if (use != ValueUse.Escape || returnReleasesMembers || !ValueUseClassifier.IsReturned(operation, block))
                {
                    result.ReleasedMembers.Add(member!.OriginalDefinition);
                }
            }

            if (index < 0)
            {
                return;
            }

            switch (use)
            {
                case ValueUse.AssignTarget:
                    if (allocationStores.Contains(operation.Parent!) || IsAliasDeclaration(operation, key!) || TransferTarget(operation.Parent) >= 0)
                    {
                        return;
                    }

                    effects.Add(new OwnershipEffect(OwnershipEffectKind.Overwrite, index, operation, -1, null));
                    return;
                case ValueUse.Free:
                    effects.Add(new OwnershipEffect(OwnershipEffectKind.Free, index, operation, -1, null));
                    return;
                case ValueUse.Lend:
                    // Members keep their old meaning (a lend ends what this graph knows); locals are decided in ResolveLends.
                    effects.Add(new OwnershipEffect(keyIsMember[index] ? OwnershipEffectKind.Escape : OwnershipEffectKind.Lend, index, operation, -1, null));
                    return;
                case ValueUse.StoreMember when !keyIsMember[index] && TransferTarget(store) is var owner and >= 0:
                    effects.Add(new OwnershipEffect(OwnershipEffectKind.Transfer, index, operation, -1, null, owner));
                    return;
                case ValueUse.Escape:
                case ValueUse.StoreMember:
                    effects.Add(new OwnershipEffect(OwnershipEffectKind.Escape, index, operation, -1, null));
                    return;
                case ValueUse.StoreLocal when !IsAlias(target, key):
                    effects.Add(new OwnershipEffect(OwnershipEffectKind.Escape, index, operation, -1, null));
                    return;
            }
        }

        /// <summary>
        /// <c>m_block = p;</c> where <c>p</c> is a tracked local and <c>m_block</c> a candidate member of this type: the
        /// member's index (added on first sight), else -1.
        /// </summary>
        private int TransferTarget(IOperation? store)
        {
            if (store is not ISimpleAssignmentOperation { IsRef: false } assignment
                || !(assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 })
                || resolver.Resolve(assignment.Value) is not { } source
                || !keyIndex.TryGetValue(source, out var sourceIndex)
                || keyIsMember[sourceIndex]
                || resolver.Resolve(assignment.Target) is not { } target
                || !IsOwnMemberKey(target))
            {
                return -1;
            }

            return KeyIndex(target, isMember: true);
        }

        /// <summary>
        /// Lends that no release follows become escapes (<see cref="LentValues.ResolveLends"/>). A local handed to a member
        /// and also given away, freed or handed on elsewhere in the graph leaves the member's fate to that code: the
        /// member is released (precision first).
        /// </summary>
        private void ResolveLendsAndTransfers()
        {
            var given = LentValues.ResolveLends(perBlock, graph.OriginalOperation.Syntax);
            var transfers = perBlock.SelectMany(e => e).Where(e => e.Kind == OwnershipEffectKind.Transfer).ToList();
            foreach (var transfer in transfers)
            {
                var otherReleases = perBlock.SelectMany(e => e).Count(e => e.Key == transfer.Key && e.Kind is OwnershipEffectKind.Free or OwnershipEffectKind.Escape or OwnershipEffectKind.Transfer) - 1;
                if (given.Contains(transfer.Key) || otherReleases > 0)
                {
                    result.ReleasedMembers.Add(keys[transfer.TargetKey].Symbol.OriginalDefinition);
                }
            }
        }

        /// <summary>The site as the member it is transferred to holds it (what the per-type decision reports).</summary>
        public AllocationSite MemberSite(int site, int memberKey)
        {
            if (!memberSites.TryGetValue((site, memberKey), out var memberSite))
            {
                var local = sites[site];
                var member = keys[memberKey].Symbol;
                memberSite = new AllocationSite(local.Index, local.Operation, local.Family, member.OriginalDefinition, MemberType(member));
                memberSites.Add((site, memberKey), memberSite);
            }

            return memberSite;
        }

        private void CollectInvocation(IInvocationOperation call, List<OwnershipEffect> effects)
        {
            var method = call.TargetMethod;
            if (allocations.IsFree(call, out var operand))
            {
                var freed = resolver.Unwrap(operand);
                if (freed is IInvocationOperation conversion && allocations.IsHandleConversion(conversion.TargetMethod) && conversion.Arguments.Length == 1)
                {
                    freed = conversion.Arguments[0].Value;
                }

                var key = resolver.Resolve(freed);
                if (key is null || !(keyIndex.ContainsKey(key) || (candidateMembers.Contains(key.Symbol.OriginalDefinition) && key.Symbol is IFieldSymbol or IPropertySymbol)))
                {
                    result.UntargetedFrees.Add(FreeFamily(method));
                }

                return;
            }

            if (allocations.Symbols.IsDoesNotReturn(method))
            {
                effects.Add(new OwnershipEffect(OwnershipEffectKind.DoesNotReturn, -1, call, -1, null));
                return;
            }

            if (method.MethodKind == MethodKind.Ordinary
                && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, containingType)
                && !method.DeclaringSyntaxReferences.IsEmpty
                && (call.Instance is null || call.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }))
            {
                effects.Add(new OwnershipEffect(OwnershipEffectKind.Call, -1, call, -1, method.OriginalDefinition));
            }
        }

        private static AllocationFamily FreeFamily(IMethodSymbol method) => method.Name switch
        {
            "Dispose" => AllocationFamily.TypedGCHandle,
            "FreeHGlobal" => AllocationFamily.HGlobal,
            "FreeCoTaskMem" => AllocationFamily.CoTaskMem,
            "AlignedFree" => AllocationFamily.AlignedNativeMemory,
            _ => method.IsStatic ? AllocationFamily.NativeMemory : AllocationFamily.GCHandle,
        };

        /// <summary><c>var q = p;</c> where the resolver treats <c>q</c> as another name for <c>p</c>.</summary>
        private bool IsAlias(IOperation? target, ReceiverKey? key) =>
            key != null && target != null && key.Equals(resolver.Resolve(target));

        private static bool IsAliasDeclaration(IOperation target, ReceiverKey key) =>
            target is ILocalReferenceOperation local && !key.Equals(ReceiverKey.ForVariable(local.Local));

        private bool IsOwnMemberKey(ReceiverKey key)
        {
            if (key.Length != 2 || !candidateMembers.Contains(key.Symbol.OriginalDefinition))
            {
                return false;
            }

            return key.Equals(ReceiverKey.ForThis(containingType).Append(key.Symbol))
                || key.Equals(ReceiverKey.ForStaticRoot(key.Symbol.ContainingType).Append(key.Symbol));
        }

        private static ITypeSymbol? MemberType(ISymbol member) => member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
    }
}
