using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>
    /// The receivers a control-flow graph starts, and, per basic block, what its operations do to them:
    /// computed once, then replayed by the dataflow as often as the fixed point needs.
    /// </summary>
    internal sealed class GraphEffects
    {
        private readonly OperationPairs pairs;
        private readonly KnownSymbols symbols;
        private readonly HelperSummaries summaries;
        private readonly ReceiverResolver resolver;
        private readonly Dictionary<ReceiverKey, TrackedReceiver> tracked;
        private readonly List<(PairKind Kind, ConfiguredPair? Configured)> trackedPairs = new List<(PairKind, ConfiguredPair?)>();
        private readonly CancellationToken cancellationToken;

        private GraphEffects(
            ControlFlowGraph graph,
            OperationPairs pairs,
            KnownSymbols symbols,
            HelperSummaries summaries,
            ReceiverResolver resolver,
            Dictionary<ReceiverKey, TrackedReceiver> tracked,
            CancellationToken cancellationToken)
        {
            this.pairs = pairs;
            this.symbols = symbols;
            this.summaries = summaries;
            this.resolver = resolver;
            this.tracked = tracked;
            this.cancellationToken = cancellationToken;

            var receivers = new TrackedReceiver[tracked.Count];
            foreach (var receiver in tracked.Values)
            {
                receivers[receiver.Index] = receiver;
                if (!trackedPairs.Contains((receiver.Kind, receiver.Configured)))
                {
                    trackedPairs.Add((receiver.Kind, receiver.Configured));
                }
            }

            Receivers = receivers.ToImmutableArray();

            // One builder for every block: most blocks have no effect at all, and a builder per block was an array per block.
            var perBlock = new ImmutableArray<Effect>[graph.Blocks.Length];
            var effects = ImmutableArray.CreateBuilder<Effect>();
            foreach (var block in graph.Blocks)
            {
                CollectBlock(block, effects);
                perBlock[block.Ordinal] = effects.ToImmutable();
                effects.Clear();
            }

            PerBlock = perBlock;
        }

        public ImmutableArray<TrackedReceiver> Receivers { get; }

        public IReadOnlyList<ImmutableArray<Effect>> PerBlock { get; }

        public ReceiverResolver Resolver => resolver;

        /// <summary>Null when the graph starts nothing: the caller then has nothing to analyse.</summary>
        public static GraphEffects? Create(ControlFlowGraph graph, OperationPairs pairs, KnownSymbols symbols, HelperSummaries summaries, CancellationToken cancellationToken)
        {
            var captures = new CaptureMap(graph);
            var resolver = new ReceiverResolver(graph, captures);
            var tracked = new Dictionary<ReceiverKey, TrackedReceiver>();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    if (operation is IInvocationOperation call && pairs.TryGetStart(call, resolver, out var site) && !tracked.ContainsKey(site!.Receiver))
                    {
                        tracked.Add(site.Receiver, new TrackedReceiver(tracked.Count, site));
                    }
                }
            }

            return tracked.Count == 0 ? null : new GraphEffects(graph, pairs, symbols, summaries, resolver, tracked, cancellationToken);
        }

        public bool TryGetTracked(IOperation? operation, out TrackedReceiver? receiver)
        {
            receiver = null;
            var key = resolver.Resolve(operation);
            return key != null && tracked.TryGetValue(key, out receiver);
        }

        private void CollectBlock(BasicBlock block, ImmutableArray<Effect>.Builder effects)
        {
            foreach (var operation in EvaluationOrder.PostOrder(block))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case IInvocationOperation call:
                        CollectInvocation(call, effects);
                        break;
                    case IObjectCreationOperation creation when creation.Constructor != null:
                        CollectArguments(creation.Constructor, creation.Arguments, effects);
                        break;
                    case ISimpleAssignmentOperation assignment:
                        CollectAssignment(assignment, effects);
                        break;
                }
            }
        }

        private void CollectInvocation(IInvocationOperation call, ImmutableArray<Effect>.Builder effects)
        {
            if (pairs.TryGetStart(call, resolver, out var site))
            {
                effects.Add(new Effect(EffectKind.Start, tracked[site!.Receiver].Index, call));
                return;
            }

            if (CollectFinish(call, effects))
            {
                return;
            }

            var method = call.TargetMethod;
            if (IsInSource(method) && TryGetTracked(call.Instance, out var receiver)
                && summaries.GetEffect(method, HelperSummaries.ThisOrdinal, receiver!.Kind, receiver.Configured, cancellationToken) == HelperEffect.Finishes)
            {
                effects.Add(new Effect(EffectKind.Finish, receiver.Index, call));
            }

            if (IsInSource(method) && call.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
            {
                // AbortReceive(error) or a local function that completes m_in itself, without being handed it.
                foreach (var candidate in Receivers)
                {
                    if (candidate.Key.IsDirectMember
                        && (method.MethodKind == MethodKind.LocalFunction || SymbolEqualityComparer.Default.Equals(method.ContainingType, candidate.Key.Symbol.ContainingType))
                        && summaries.FinishesMember(method, candidate.Key.Symbol.Name, candidate.Kind, candidate.Configured, cancellationToken))
                    {
                        effects.Add(new Effect(EffectKind.Finish, candidate.Index, call));
                    }
                }
            }

            CollectArguments(method, call.Arguments, effects);

            if (symbols.IsDoesNotReturn(method))
            {
                effects.Add(new Effect(EffectKind.DoesNotReturn, -1, call));
            }
        }

        /// <summary>Finish calls: on a tracked receiver they finish it; on an overlapped never started here they are the wrong one.</summary>
        private bool CollectFinish(IInvocationOperation call, ImmutableArray<Effect>.Builder effects)
        {
            var isFinish = false;
            foreach (var (kind, configured) in trackedPairs)
            {
                var operand = pairs.GetFinishedOperand(call, kind, configured);
                var key = resolver.Resolve(operand);
                if (key is null)
                {
                    continue;
                }

                isFinish = true;
                if (tracked.TryGetValue(key, out var receiver) && receiver.SamePair(kind, configured))
                {
                    effects.Add(new Effect(EffectKind.Finish, receiver.Index, call));
                    continue;
                }

                if (tracked.ContainsKey(key))
                {
                    continue;
                }

                foreach (var candidate in Receivers)
                {
                    if (candidate.SamePair(kind, configured) && SymbolEqualityComparer.Default.Equals(candidate.Type, operand!.Type))
                    {
                        effects.Add(new Effect(EffectKind.WrongFinish, candidate.Index, call));
                    }
                }
            }

            return isFinish;
        }

        private void CollectArguments(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, ImmutableArray<Effect>.Builder effects)
        {
            var inSource = IsInSource(method);
            foreach (var argument in arguments)
            {
                var key = resolver.Resolve(argument.Value);
                if (key is null)
                {
                    continue;
                }

                if (tracked.TryGetValue(key, out var receiver))
                {
                    var parameter = argument.Parameter;
                    var helperEffect = inSource && parameter != null && parameter.RefKind == RefKind.None
                        ? summaries.GetEffect(method, parameter.Ordinal, receiver.Kind, receiver.Configured, cancellationToken)
                        : HelperEffect.Escapes;
                    if (helperEffect == HelperEffect.Finishes)
                    {
                        effects.Add(new Effect(EffectKind.Finish, receiver.Index, argument));
                    }
                    else if (helperEffect == HelperEffect.Escapes)
                    {
                        effects.Add(new Effect(EffectKind.HandOff, receiver.Index, argument));
                    }

                    continue;
                }

                if (!IsNativeCall(method))
                {
                    // m_pool.Enqueue(request), pool.Return(request), Recycle(request): the request goes back to its owner
                    // and takes the overlapped it holds with it. A native call only borrows it for the call.
                    HandOffHeldBy(key, argument, effects);
                }

                // A pointer derived from the receiver (ov.Address) handed to a call after a failure gives the
                // OVERLAPPED to someone else: typically posted to the port, which will complete it.
                if (IsPointerLike(argument.Value.Type))
                {
                    var native = IsNativeCall(method);
                    foreach (var candidate in Receivers)
                    {
                        if (key.Length > candidate.Key.Length && key.StartsWith(candidate.Key))
                        {
                            if (native && candidate.Kind is PairKind.StartOperationConvention or PairKind.Configured)
                            {
                                effects.Add(new Effect(EffectKind.HandToNative, candidate.Index, argument.Parent ?? argument));
                            }

                            effects.Add(new Effect(EffectKind.HandOff, candidate.Index, argument));
                        }
                    }
                }
            }
        }

        private void CollectAssignment(ISimpleAssignmentOperation assignment, ImmutableArray<Effect>.Builder effects)
        {
            // The declaration or assignment that receives a started pointer is part of the start, not an overwrite.
            var value = resolver.Unwrap(assignment.Value);
            if (value is IInvocationOperation call && pairs.TryGetStart(call, resolver, out _))
            {
                return;
            }

            var target = assignment.Target is ILocalReferenceOperation local ? ReceiverKey.ForVariable(local.Local) : resolver.Resolve(assignment.Target);
            if (target != null)
            {
                foreach (var candidate in Receivers)
                {
                    if (candidate.Key.StartsWith(target))
                    {
                        effects.Add(new Effect(EffectKind.Forget, candidate.Index, assignment));
                    }
                }
            }

            if (TryGetTracked(assignment.Value, out var stored) && !stored!.Key.Equals(target))
            {
                effects.Add(new Effect(EffectKind.HandOff, stored.Index, assignment));
            }

            // m_current = request; slots[i] = request: the request is stored and keeps what it holds. Copying it into a
            // local only names it twice (the resolver treats a single-assignment local as an alias).
            var owner = resolver.Resolve(assignment.Value);
            if (owner != null && assignment.Target is not ILocalReferenceOperation && (target is null || !target.StartsWith(owner)))
            {
                HandOffHeldBy(owner, assignment, effects);
            }
        }

        private void HandOffHeldBy(ReceiverKey owner, IOperation operation, ImmutableArray<Effect>.Builder effects)
        {
            foreach (var candidate in Receivers)
            {
                if (owner.IsOwnerObjectOf(candidate.Key))
                {
                    effects.Add(new Effect(EffectKind.HandOff, candidate.Index, operation));
                }
            }
        }

        /// <summary>
        /// Calls that reach the kernel: P/Invoke (extern, [DllImport], [LibraryImport]), delegates to native entry points (AcceptEx, ConnectEx),
        /// function pointers, and native-API abstractions declared as interfaces. A source helper with a body is not one.
        /// </summary>
        private static bool IsNativeCall(IMethodSymbol method) =>
            method.IsExtern
            || method.MethodKind == MethodKind.DelegateInvoke
            || method.MethodKind == MethodKind.FunctionPointerSignature
            || method.ContainingType?.TypeKind == TypeKind.Interface
            || method.GetDllImportData() != null
            || IsLibraryImport(method.PartialDefinitionPart ?? method);

        /// <summary>[LibraryImport] declares a partial method whose generated body marshals and calls the real P/Invoke.</summary>
        private static bool IsLibraryImport(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "LibraryImportAttribute" } attributeClass
                    && attributeClass.ContainingNamespace?.ToDisplayString() == "System.Runtime.InteropServices")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsInSource(IMethodSymbol method) => !method.OriginalDefinition.DeclaringSyntaxReferences.IsEmpty;

        private static bool IsPointerLike(ITypeSymbol? type) =>
            type != null && (type.TypeKind == TypeKind.Pointer || type.SpecialType == SpecialType.System_IntPtr || type.SpecialType == SpecialType.System_UIntPtr);
    }
}
