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
using OverlappedAnalyzers.Flow.Pending;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// Ownership dataflow for OVL003/OVL005 over one ControlFlowGraph: which allocations (GCHandles, native
    /// blocks) a local or a field of the containing type may hold at each point, as a bit set of allocation
    /// sites joined by union and iterated to a fixed point. A free, or any hand-off the analysis cannot see
    /// through (returned, stored elsewhere, passed by ref or to a callee that may keep it), ends ownership —
    /// precision first: a value that escaped is somebody else's to free. Locals that still hold a site at an
    /// exit, or are overwritten while holding one, are leaks; for fields the graph only records what they may
    /// hold where they are re-assigned, and the type decides at symbol end.
    /// Exceptional flow follows PendingAnalysis: explicit throws reach their catch handlers and finally
    /// regions free what they free on every exit that leaves their try.
    /// </summary>
    internal sealed class OwnershipAnalysis
    {
        private const ulong Clear = 1;
        private const ulong Entry = 2;
        private const int FirstSiteBit = 2;
        private const int MaxSites = 62;
        private const int MaxWalkDepth = 32;

        private readonly ControlFlowGraph graph;
        private readonly NativeAllocations allocations;
        private readonly INamedTypeSymbol containingType;
        private readonly ImmutableHashSet<ISymbol> candidateMembers;
        private readonly IMethodSymbol? owningMethod;
        private readonly bool isConstructor;
        private readonly bool returnReleasesMembers;
        private readonly Func<IMethodSymbol, ISymbol, bool> calleeFrees;
        private readonly CancellationToken cancellationToken;
        private readonly ReceiverResolver resolver;

        private readonly List<ReceiverKey> keys = new List<ReceiverKey>();
        private readonly List<bool> keyIsMember = new List<bool>();
        private readonly Dictionary<ReceiverKey, int> keyIndex = new Dictionary<ReceiverKey, int>();
        private readonly List<AllocationSite> sites = new List<AllocationSite>();
        private readonly List<int> siteKey = new List<int>();
        private readonly Dictionary<IOperation, int> siteByOperation = new Dictionary<IOperation, int>();
        private readonly HashSet<IOperation> allocationStores = new HashSet<IOperation>();
        private readonly OwnershipResult result = new OwnershipResult();
        private static readonly string[] ReleaseWords = { "Free", "Release", "Close", "Destroy", "Delete", "Dispose", "SetHandle" };
        private IMethodSymbol? escapeCall;

        private List<OwnEffect>[] perBlock = Array.Empty<List<OwnEffect>>();
        private List<(int Key, bool ClearWhenTrue)>?[] guards = Array.Empty<List<(int, bool)>?>();
        private ulong[]?[] entryStates = Array.Empty<ulong[]?>();
        private readonly SortedSet<int> worklist = new SortedSet<int>();
        private readonly Dictionary<ControlFlowRegion, ImmutableArray<int>> finallyReleases = new Dictionary<ControlFlowRegion, ImmutableArray<int>>();
        private readonly HashSet<(int Site, LeakReason Reason, SyntaxNode? Exit)> reported = new HashSet<(int, LeakReason, SyntaxNode?)>();
        private readonly HashSet<int> storeRecorded = new HashSet<int>();
        private bool reporting;
        private WorkMeter? meter;

        private OwnershipAnalysis(
            ControlFlowGraph graph,
            NativeAllocations allocations,
            INamedTypeSymbol containingType,
            ImmutableHashSet<ISymbol> candidateMembers,
            IMethodSymbol? owningMethod,
            bool isConstructor,
            Func<IMethodSymbol, ISymbol, bool> calleeFrees,
            CancellationToken cancellationToken)
        {
            this.graph = graph;
            this.allocations = allocations;
            this.containingType = containingType;
            this.candidateMembers = candidateMembers;
            this.owningMethod = owningMethod;
            this.isConstructor = isConstructor;
            this.calleeFrees = calleeFrees;
            this.cancellationToken = cancellationToken;
            returnReleasesMembers = owningMethod?.MethodKind is not (MethodKind.PropertyGet or null);
            resolver = new ReceiverResolver(graph, new CaptureMap(graph));
        }

        private enum OwnKind
        {
            Alloc,
            Free,
            Escape,
            Overwrite,
            Call,
            DoesNotReturn,
        }

        private enum Use
        {
            None,
            Free,
            Escape,
            StoreLocal,
            StoreMember,
            AssignTarget,
            Ignore,
        }

        /// <summary>
        /// Analyses one graph. <paramref name="isConstructor"/>: fields start empty (the graph is a constructor body);
        /// <paramref name="calleeFrees"/> answers whether a helper of the same type frees a member (one level, syntactic).
        /// </summary>
        public static OwnershipResult Analyze(
            ControlFlowGraph graph,
            NativeAllocations allocations,
            INamedTypeSymbol containingType,
            ImmutableHashSet<ISymbol> candidateMembers,
            IMethodSymbol? owningMethod,
            bool isConstructor,
            Func<IMethodSymbol, ISymbol, bool> calleeFrees,
            CancellationToken cancellationToken,
            WorkMeter? meter = null)
        {
            var analysis = new OwnershipAnalysis(graph, allocations, containingType, candidateMembers, owningMethod, isConstructor, calleeFrees, cancellationToken);
            analysis.meter = meter;
            analysis.Run();
            return analysis.result;
        }

        private void Run()
        {
            FindAllocations();
            if (sites.Count > MaxSites)
            {
                // Too many sites for the bit set: say nothing rather than something wrong.
                result.LocalLeaks.Clear();
                return;
            }

            CollectEffects();
            if (keys.Count == 0 && !perBlock.Any(effects => effects.Any(e => e.Kind == OwnKind.Call)))
            {
                return;
            }

            FindWrappableSites();
            Solve();
        }

        // ---- Pass 1: allocation sites and where their results go ----

        private void FindAllocations()
        {
            var capturedNames = NamesUsedInNestedFunctions();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!allocations.TryGetAllocation(operation, out var family))
                    {
                        continue;
                    }

                    var use = Classify(operation, block, out var target, out var store);
                    switch (use)
                    {
                        case Use.None:
                            var discarded = AddSite(operation, family, null, null, -1);
                            result.LocalLeaks.Add(new LocalLeak(discarded, LeakReason.Discarded, null, definite: false));
                            break;

                        case Use.StoreLocal when target is ILocalReferenceOperation { Local: { IsRef: false } local }
                                                 && !capturedNames.Contains(local.Name) && IsDeclaredInThisGraph(local):
                            AddSite(operation, family, local, local.Type, KeyIndex(ReceiverKey.ForVariable(local), isMember: false));
                            allocationStores.Add(store!);
                            break;

                        case Use.StoreMember:
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

        private void CollectEffects()
        {
            perBlock = new List<OwnEffect>[graph.Blocks.Length];
            guards = new List<(int, bool)>?[graph.Blocks.Length];
            foreach (var block in graph.Blocks)
            {
                var effects = new List<OwnEffect>();
                perBlock[block.Ordinal] = effects;
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (siteByOperation.TryGetValue(operation, out var site))
                    {
                        effects.Add(new OwnEffect(OwnKind.Alloc, siteKey[site], operation, site, null));
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

                if (block.ConditionalSuccessor != null && block.BranchValue != null && TryGetGuard(block.BranchValue, out var guardKey, out var clearWhenTrue))
                {
                    guards[block.Ordinal] = new List<(int, bool)> { (guardKey, clearWhenTrue) };
                }
            }
        }

        private void CollectReference(IOperation operation, BasicBlock block, List<OwnEffect> effects)
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

            var use = Classify(operation, block, out var target, out var store);
            if (isCandidate && (use is Use.Free or Use.Escape || (use == Use.StoreMember && !allocationStores.Contains(store!)) || (use == Use.StoreLocal && !IsAlias(target, key))))
            {
                if (use != Use.Escape || ((returnReleasesMembers || !IsReturn(operation, block)) && !IsLentToNativeCall(escapeCall)))
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
                case Use.AssignTarget:
                    if (allocationStores.Contains(operation.Parent!) || IsAliasDeclaration(operation, key!))
                    {
                        return;
                    }

                    effects.Add(new OwnEffect(OwnKind.Overwrite, index, operation, -1, null));
                    return;
                case Use.Free:
                    effects.Add(new OwnEffect(OwnKind.Free, index, operation, -1, null));
                    return;
                case Use.Escape:
                case Use.StoreMember:
                    effects.Add(new OwnEffect(OwnKind.Escape, index, operation, -1, null));
                    return;
                case Use.StoreLocal when !IsAlias(target, key):
                    effects.Add(new OwnEffect(OwnKind.Escape, index, operation, -1, null));
                    return;
            }
        }

        private void CollectInvocation(IInvocationOperation call, List<OwnEffect> effects)
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

            if (DoesNotReturn(method))
            {
                effects.Add(new OwnEffect(OwnKind.DoesNotReturn, -1, call, -1, null));
                return;
            }

            if (method.MethodKind == MethodKind.Ordinary
                && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, containingType)
                && !method.DeclaringSyntaxReferences.IsEmpty
                && (call.Instance is null || call.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }))
            {
                effects.Add(new OwnEffect(OwnKind.Call, -1, call, -1, method.OriginalDefinition));
            }
        }

        private bool DoesNotReturn(IMethodSymbol method) => allocations.Symbols.IsDoesNotReturn(method);

        private static AllocationFamily FreeFamily(IMethodSymbol method) => method.Name switch
        {
            "Dispose" => AllocationFamily.TypedGCHandle,
            "FreeHGlobal" => AllocationFamily.HGlobal,
            "FreeCoTaskMem" => AllocationFamily.CoTaskMem,
            "AlignedFree" => AllocationFamily.AlignedNativeMemory,
            _ => method.IsStatic ? AllocationFamily.NativeMemory : AllocationFamily.GCHandle,
        };

        /// <summary>
        /// Where a value goes, walking up through the operations that only reshape it (conversions, pointer
        /// arithmetic, <c>ToPointer</c>, <c>new IntPtr(p)</c>, <c>GCHandle.ToIntPtr/FromIntPtr</c>).
        /// Anything not known to leave ownership alone is an escape.
        /// </summary>
        private Use Classify(IOperation operation, BasicBlock block, out IOperation? target, out IOperation? store)
        {
            target = null;
            store = null;
            escapeCall = null;
            var current = operation;
            for (var depth = 0; depth < MaxWalkDepth; depth++)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case null:
                        if (ReferenceEquals(current, block.BranchValue) && block.ConditionalSuccessor is null)
                        {
                            // Returned (or thrown inside an exception object): the caller owns it now.
                            return block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Return or ControlFlowBranchSemantics.Throw ? Use.Escape : Use.None;
                        }

                        return Use.None;

                    case IConversionOperation:
                    case IParenthesizedOperation:
                        current = parent;
                        continue;

                    case IBinaryOperation binary:
                        if (binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && IsPointerLike(binary.Type))
                        {
                            current = parent;
                            continue;
                        }

                        return Use.None;

                    case IInvocationOperation call when ReferenceEquals(call.Instance, current):
                        if (allocations.IsFree(call, out _))
                        {
                            return Use.Free;
                        }

                        if (call.TargetMethod.Name == "ToPointer" && IsPointerLike(call.Instance.Type))
                        {
                            current = parent;
                            continue;
                        }

                        return Use.None;

                    case IMemberReferenceOperation member when ReferenceEquals(member.Instance, current):
                        return Use.None;

                    case IArgumentOperation argument:
                        if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                        {
                            return Use.Escape;
                        }

                        switch (argument.Parent)
                        {
                            case IInvocationOperation call:
                                if (allocations.IsFree(call, out var freed) && ReferenceEquals(freed, current))
                                {
                                    return Use.Free;
                                }

                                if (allocations.IsHandleConversion(call.TargetMethod))
                                {
                                    current = call;
                                    continue;
                                }

                                if (allocations.IsAccessOnly(call.TargetMethod, argument.Parameter))
                                {
                                    return Use.None;
                                }

                                escapeCall = call.TargetMethod;
                                return Use.Escape;

                            case IObjectCreationOperation creation:
                                if (IsPointerLike(creation.Type))
                                {
                                    current = creation;
                                    continue;
                                }

                                return creation.Constructor != null && allocations.IsSpanOver(creation.Constructor) ? Use.None : Use.Escape;

                            default:
                                return Use.Escape;
                        }

                    case ISimpleAssignmentOperation assignment:
                        if (ReferenceEquals(assignment.Target, current))
                        {
                            return Use.AssignTarget;
                        }

                        if (assignment.IsRef)
                        {
                            return Use.Escape;
                        }

                        target = assignment.Target;
                        store = assignment;
                        return assignment.Target switch
                        {
                            ILocalReferenceOperation => Use.StoreLocal,
                            IDiscardOperation => Use.None,
                            IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 } => Use.StoreMember,
                            _ => Use.Escape,
                        };

                    case IFlowCaptureOperation:
                        return Use.Ignore;

                    case IIsNullOperation:
                    case IIsPatternOperation:
                    case IIsTypeOperation:
                    case IExpressionStatementOperation:
                        return Use.None;

                    default:
                        return Use.Escape;
                }
            }

            return Use.Escape;
        }

        /// <summary>
        /// A member handed to a P/Invoke or a delegate (WSARecv, AcceptEx) is lent for the call, not given away: the kernel
        /// never frees what it is lent. Only calls named like a release take it over (LocalFree, CloseHandle, ...).
        /// </summary>
        private static bool IsLentToNativeCall(IMethodSymbol? method)
        {
            if (method is null || !(method.IsExtern || method.GetDllImportData() != null || method.MethodKind == MethodKind.DelegateInvoke || method.GetAttributes().Any(a => a.AttributeClass?.Name == "LibraryImportAttribute")))
            {
                return false;
            }

            var name = method.MethodKind == MethodKind.DelegateInvoke ? method.ContainingType.Name : method.Name;
            foreach (var word in ReleaseWords)
            {
                if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsReturn(IOperation operation, BasicBlock block)
        {
            var current = operation;
            for (var depth = 0; depth < MaxWalkDepth && current.Parent != null; depth++)
            {
                current = current.Parent;
            }

            return ReferenceEquals(current, block.BranchValue) && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return;
        }

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

        private static bool IsPointerLike(ITypeSymbol? type) =>
            type != null && (type.TypeKind == TypeKind.Pointer || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr);

        /// <summary><c>h.IsAllocated</c>, <c>p == IntPtr.Zero</c>, <c>p != null</c> (negations included): which outcome means "holds nothing".</summary>
        private bool TryGetGuard(IOperation value, out int key, out bool clearWhenTrue)
        {
            key = -1;
            clearWhenTrue = false;
            var negate = false;
            var current = resolver.Unwrap(value);
            for (var depth = 0; depth < MaxWalkDepth && current is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
            {
                negate = !negate;
                current = resolver.Unwrap(not.Operand);
            }

            IOperation? holder = null;
            switch (current)
            {
                case IPropertyReferenceOperation { Property.Name: "IsAllocated", Instance: { } instance }:
                    holder = instance;
                    clearWhenTrue = negate;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    if (IsZero(binary.RightOperand))
                    {
                        holder = binary.LeftOperand;
                    }
                    else if (IsZero(binary.LeftOperand))
                    {
                        holder = binary.RightOperand;
                    }

                    clearWhenTrue = (binary.OperatorKind == BinaryOperatorKind.Equals) != negate;
                    break;
            }

            var resolved = holder is null ? null : resolver.Resolve(holder);
            return resolved != null && keyIndex.TryGetValue(resolved, out key);
        }

        private bool IsZero(IOperation operand)
        {
            var value = resolver.Unwrap(operand);
            switch (value)
            {
                case IFieldReferenceOperation { Field.Name: "Zero", Field.ContainingType.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                case IDefaultValueOperation:
                    return true;
            }

            var constant = value?.ConstantValue ?? default;
            return constant.HasValue && (constant.Value is null || (constant.Value is int i && i == 0) || (constant.Value is long l && l == 0));
        }

        // ---- Shapes the code fix needs to know about ----

        private HashSet<string> NamesUsedInNestedFunctions()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var nested = new List<SyntaxNode>();
            foreach (var localFunction in graph.LocalFunctions)
            {
                nested.AddRange(localFunction.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)));
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        nested.Add(lambda.Syntax);
                    }
                }
            }

            foreach (var node in nested)
            {
                foreach (var identifier in node.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    names.Add(identifier.Identifier.ValueText);
                }
            }

            return names;
        }

        /// <summary>A local of this graph, not an outer local that a lambda or local function writes.</summary>
        private bool IsDeclaredInThisGraph(ILocalSymbol local)
        {
            var root = graph.OriginalOperation.Syntax;
            var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            for (var node = declaration; node != null; node = node.Parent)
            {
                if (node == root)
                {
                    return true;
                }

                if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                {
                    return false;
                }
            }

            return false;
        }

        private void FindWrappableSites()
        {
            for (var k = 0; k < keys.Count; k++)
            {
                if (keyIsMember[k])
                {
                    continue;
                }

                var keySites = sites.Where(s => siteKey[s.Index] == k).ToList();
                if (keySites.Count != 1 || keySites[0].Operation.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax block } declaration
                    || declaration.Declaration.Variables.Count != 1)
                {
                    continue;
                }

                var wrappable = true;
                foreach (var effect in perBlock.SelectMany(e => e))
                {
                    if (effect.Key != k || effect.Kind == OwnKind.Alloc)
                    {
                        continue;
                    }

                    if (effect.Kind != OwnKind.Free
                        || effect.Operation.Syntax.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } statement
                        || statement.Parent != block
                        || statement.SpanStart < declaration.Span.End)
                    {
                        wrappable = false;
                        break;
                    }
                }

                if (wrappable)
                {
                    result.WrappableSites.Add(keySites[0]);
                }
            }
        }

        // ---- Dataflow ----

        private void Solve()
        {
            entryStates = new ulong[]?[graph.Blocks.Length];
            var initial = new ulong[keys.Count];
            var empty = new ulong[keys.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                initial[k] = keyIsMember[k] && !isConstructor ? Entry : Clear;
                empty[k] = Clear;
            }

            JoinInto(0, initial);
            foreach (var block in graph.Blocks)
            {
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
            foreach (var effect in perBlock[block.Ordinal])
            {
                switch (effect.Kind)
                {
                    case OwnKind.Alloc:
                        var site = sites[effect.Site];
                        if (keyIsMember[effect.Key])
                        {
                            RecordFieldStore(site, state[effect.Key]);
                        }
                        else
                        {
                            ReportSites(state[effect.Key], LeakReason.Overwritten, null, definiteState: 0);
                        }

                        state[effect.Key] = SiteBit(effect.Site);
                        break;
                    case OwnKind.Free:
                    case OwnKind.Escape:
                        state[effect.Key] = Clear;
                        break;
                    case OwnKind.Overwrite:
                        if (!keyIsMember[effect.Key])
                        {
                            ReportSites(state[effect.Key], LeakReason.Overwritten, null, definiteState: 0);
                        }

                        state[effect.Key] = Clear;
                        break;
                    case OwnKind.Call:
                        RecordCall(effect, state);
                        for (var k = 0; k < keys.Count; k++)
                        {
                            if (keyIsMember[k] && calleeFrees(effect.Callee!, keys[k].Symbol))
                            {
                                state[k] = Clear;
                            }
                        }

                        break;
                    case OwnKind.DoesNotReturn:
                        LeaveByException(block, state, null, LeakReason.DoesNotReturn, ExitLocator.DoesNotReturnSyntax(effect.Operation));
                        return;
                }
            }

            var blockGuards = guards[block.Ordinal];
            if (block.ConditionalSuccessor != null)
            {
                var conditionalIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                Follow(block, Refine(state, blockGuards, conditionalIsTrue), block.ConditionalSuccessor);
                Follow(block, Refine(state, blockGuards, !conditionalIsTrue), block.FallThroughSuccessor);
            }
            else
            {
                Follow(block, state, block.FallThroughSuccessor);
            }
        }

        private static ulong[] Refine(ulong[] state, List<(int Key, bool ClearWhenTrue)>? blockGuards, bool valueIsTrue)
        {
            if (blockGuards is null)
            {
                return state;
            }

            var refined = (ulong[])state.Clone();
            foreach (var (key, clearWhenTrue) in blockGuards)
            {
                if (clearWhenTrue == valueIsTrue)
                {
                    refined[key] = Clear;
                }
            }

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

        private ulong[] ApplyFinally(ulong[] state, ControlFlowRegion finallyRegion)
        {
            if (!finallyReleases.TryGetValue(finallyRegion, out var released))
            {
                var indices = new SortedSet<int>();
                for (var ordinal = finallyRegion.FirstBlockOrdinal; ordinal <= finallyRegion.LastBlockOrdinal; ordinal++)
                {
                    foreach (var effect in perBlock[ordinal])
                    {
                        if (effect.Kind is OwnKind.Free or OwnKind.Escape)
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

            var result = (ulong[])state.Clone();
            foreach (var index in released)
            {
                result[index] = Clear;
            }

            return result;
        }

        private void ReportExit(ulong[] state, LeakReason reason, SyntaxNode? syntax)
        {
            if (!reporting)
            {
                return;
            }

            for (var k = 0; k < keys.Count; k++)
            {
                if (!keyIsMember[k])
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

            for (var site = 0; site < sites.Count; site++)
            {
                if ((state & SiteBit(site)) != 0 && reported.Add((site, reason, exit)))
                {
                    result.LocalLeaks.Add(new LocalLeak(sites[site], reason, exit, definiteState == SiteBit(site)));
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

        private void RecordCall(OwnEffect effect, ulong[] state)
        {
            if (!reporting || owningMethod is null)
            {
                return;
            }

            var clear = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            var tracked = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            for (var k = 0; k < keys.Count; k++)
            {
                if (keyIsMember[k])
                {
                    var member = keys[k].Symbol.OriginalDefinition;
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

        private readonly struct OwnEffect
        {
            public OwnEffect(OwnKind kind, int key, IOperation operation, int site, IMethodSymbol? callee)
            {
                Kind = kind;
                Key = key;
                Operation = operation;
                Site = site;
                Callee = callee;
            }

            public OwnKind Kind { get; }

            public int Key { get; }

            public IOperation Operation { get; }

            public int Site { get; }

            public IMethodSymbol? Callee { get; }
        }
    }
}
