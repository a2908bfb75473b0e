using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Finds the asynchronous I/O calls of a graph. A call is asynchronous when its OVERLAPPED is a receiver the graph
    /// starts (any start/finish pair; <c>Pack(null, ...)</c> excepted), a field its type fills from
    /// <c>AllocateNativeOverlapped</c> or <c>Pack</c> with a callback, or when the call is a Winsock call that is always
    /// overlapped when handed one. An OVERLAPPED on the stack for a synchronous handle only carries a file offset.
    /// </summary>
    internal sealed class IoSiteFinder
    {
        private readonly ReleaseFacts facts;
        private readonly OperationPairs pairs;
        private readonly ReceiverResolver resolver;
        private readonly HashSet<ReceiverKey> started = new HashSet<ReceiverKey>();
        private readonly Dictionary<ILocalSymbol, int> localWrites = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);

        private IoSiteFinder(ReleaseFacts facts, OperationPairs pairs, ReceiverResolver resolver)
        {
            this.facts = facts;
            this.pairs = pairs;
            this.resolver = resolver;
        }

        public static ImmutableArray<IoSite> Find(ControlFlowGraph graph, ReleaseFacts facts, OperationPairs pairs, ReceiverResolver resolver)
        {
            var finder = new IoSiteFinder(facts, pairs, resolver);
            var calls = new List<IInvocationOperation>();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    finder.CountWrite(operation);
                    if (operation is not IInvocationOperation call)
                    {
                        continue;
                    }

                    if (pairs.TryGetStart(call, resolver, out var site) && !IsPackWithoutCallback(site!))
                    {
                        finder.started.Add(site!.Receiver);
                    }

                    calls.Add(call);
                }
            }

            var sites = ImmutableArray.CreateBuilder<IoSite>();
            foreach (var call in calls)
            {
                if (finder.TryCreate(call, sites.Count) is { } ioSite)
                {
                    sites.Add(ioSite);
                }
            }

            return sites.ToImmutable();
        }

        /// <summary>The P/Invoke's name, or the names a delegate is known by (the field or local holding it, its type).</summary>
        public static bool TryClassify(IInvocationOperation call, out IoResultConvention convention, out bool alwaysOverlapped, out string name)
        {
            var method = call.TargetMethod;
            convention = IoResultConvention.Bool;
            alwaysOverlapped = false;
            name = method.Name;
            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                var holder = call.Instance switch
                {
                    IFieldReferenceOperation field => field.Field.Name,
                    IPropertyReferenceOperation property => property.Property.Name,
                    ILocalReferenceOperation local => local.Local.Name,
                    IParameterReferenceOperation parameter => parameter.Parameter.Name,
                    _ => null,
                };
                foreach (var candidate in new[] { holder, method.ContainingType.Name })
                {
                    if (candidate != null && IoCallNames.TryClassify(candidate, stripDecorations: true, out convention, out alwaysOverlapped, out name))
                    {
                        return true;
                    }
                }

                name = method.Name;
                return false;
            }

            if (!NativeEntryPoints.IsNativeOrDelegate(method))
            {
                return false;
            }

            var entryPoint = method.GetDllImportData()?.EntryPointName;
            return IoCallNames.TryClassify(method.Name, stripDecorations: false, out convention, out alwaysOverlapped, out name)
                || (entryPoint != null && IoCallNames.TryClassify(entryPoint, stripDecorations: false, out convention, out alwaysOverlapped, out name));
        }

        private IoSite? TryCreate(IInvocationOperation call, int index)
        {
            if (!TryClassify(call, out var convention, out var alwaysOverlapped, out var name))
            {
                return null;
            }

            var overlappedArgument = OverlappedArgument(call);
            if (overlappedArgument is null || IsNullPointer(overlappedArgument.Value))
            {
                return null;
            }

            var argumentKey = KeyOf(overlappedArgument.Value);
            var prefixes = Prefixes(overlappedArgument.Value);
            var asyncReceiver = AsyncReceiver(argumentKey, prefixes);
            if (asyncReceiver is null && !alwaysOverlapped)
            {
                return null;
            }

            var overlappedKeys = ImmutableArray.CreateBuilder<ReceiverKey>();
            if (argumentKey != null)
            {
                overlappedKeys.Add(argumentKey);
            }

            overlappedKeys.AddRange(prefixes);

            var buffers = ImmutableArray.CreateBuilder<ReceiverKey>();
            foreach (var argument in call.Arguments)
            {
                if (argument != overlappedArgument && argument.Parameter?.RefKind is not (RefKind.Ref or RefKind.Out) && BufferKey(argument.Value) is { } buffer)
                {
                    buffers.Add(buffer);
                }
            }

            var shown = asyncReceiver ?? argumentKey;
            return new IoSite(
                index,
                call,
                name,
                convention,
                shown,
                overlappedKeys.ToImmutable(),
                buffers.ToImmutable(),
                ResultLocal(call) is { } local && localWrites.TryGetValue(local, out var writes) && writes == 1 ? local : null,
                shown?.DisplayName ?? overlappedArgument.Value.Syntax.ToString());
        }

        /// <summary>
        /// A result local stands for the call's result only while nothing else is stored in it: real code reuses it for
        /// the error (<c>socketError = (SocketError)Marshal.GetLastWin32Error();</c>), and then it is an error value.
        /// </summary>
        private void CountWrite(IOperation operation)
        {
            var target = operation switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                ICompoundAssignmentOperation compound => compound.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byRef => byRef.Value,
                _ => null,
            };
            if (target is ILocalReferenceOperation local)
            {
                localWrites.TryGetValue(local.Local, out var count);
                localWrites[local.Local] = count + (operation is ISimpleAssignmentOperation ? 1 : 2);
            }
        }

        /// <summary>The argument a parameter declares as the OVERLAPPED: by type (NativeOverlapped*, ref NativeOverlapped) or by name (lpOverlapped).</summary>
        private IArgumentOperation? OverlappedArgument(IInvocationOperation call)
        {
            foreach (var argument in call.Arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null)
                {
                    continue;
                }

                var type = parameter.Type is IPointerTypeSymbol pointer ? pointer.PointedAtType : parameter.Type;
                if (SymbolEqualityComparer.Default.Equals(type, facts.Symbols.NativeOverlapped)
                    || type.Name.IndexOf("Overlapped", StringComparison.OrdinalIgnoreCase) >= 0
                    || (parameter.Name.IndexOf("overlapped", StringComparison.OrdinalIgnoreCase) >= 0 && IsPointerLike(parameter.Type)))
                {
                    return argument;
                }
            }

            return null;
        }

        /// <summary>The receiver that makes the OVERLAPPED asynchronous: started in this graph, or a field filled by an asynchronous allocation.</summary>
        private ReceiverKey? AsyncReceiver(ReceiverKey? argumentKey, List<ReceiverKey> prefixes)
        {
            if (argumentKey is null)
            {
                return null;
            }

            if (started.Contains(argumentKey))
            {
                return argumentKey;
            }

            foreach (var prefix in prefixes)
            {
                if (started.Contains(prefix))
                {
                    return prefix;
                }
            }

            return argumentKey.Symbol is IFieldSymbol field && facts.AsyncFields.IsAsynchronousField(field) ? argumentKey : null;
        }

        /// <summary>The objects a member chain was reached through (<c>m_in</c> for <c>m_in.Address</c>), never <c>this</c> itself.</summary>
        private List<ReceiverKey> Prefixes(IOperation value)
        {
            var prefixes = new List<ReceiverKey>();
            var current = resolver.Unwrap(value);
            if (current is IAddressOfOperation addressOf)
            {
                current = resolver.Unwrap(addressOf.Reference);
            }

            for (var depth = 0; depth < 16 && current is IMemberReferenceOperation { Instance: { } instance }; depth++)
            {
                current = resolver.Unwrap(instance);
                if (current is not IInstanceReferenceOperation && resolver.Resolve(current) is { } prefix)
                {
                    prefixes.Add(prefix);
                }
            }

            return prefixes;
        }

        private ReceiverKey? KeyOf(IOperation value)
        {
            var unwrapped = resolver.Unwrap(value);
            if (unwrapped is IAddressOfOperation addressOf)
            {
                unwrapped = addressOf.Reference;
            }

            return resolver.Resolve(unwrapped);
        }

        /// <summary>A lent buffer: a pointer, IntPtr or handle argument; <c>h.AddrOfPinnedObject()</c> lends the handle's object.</summary>
        private ReceiverKey? BufferKey(IOperation value)
        {
            var unwrapped = resolver.Unwrap(value);
            if (unwrapped is IInvocationOperation { TargetMethod.Name: "AddrOfPinnedObject" } pinned)
            {
                return resolver.Resolve(pinned.Instance);
            }

            return unwrapped != null && IsPointerLike(unwrapped.Type) ? resolver.Resolve(unwrapped) : null;
        }

        private static ILocalSymbol? ResultLocal(IInvocationOperation call)
        {
            IOperation current = call;
            while (current.Parent is IConversionOperation or IParenthesizedOperation)
            {
                current = current.Parent;
            }

            return current.Parent switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == current => local.Local,
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                _ => null,
            };
        }

        private static bool IsPackWithoutCallback(StartSite site) =>
            site.Kind == PairKind.OverlappedPack
            && site.Call.Arguments.Length > 0
            && site.Call.Arguments[0].Value is var callback
            && (callback.ConstantValue is { HasValue: true, Value: null } || (callback is IConversionOperation conversion && conversion.Operand.ConstantValue is { HasValue: true, Value: null }));

        private static bool IsNullPointer(IOperation value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            return value.ConstantValue is { HasValue: true, Value: null or 0 or 0L }
                || value is IDefaultValueOperation
                || value is IFieldReferenceOperation { Field.Name: "Zero", Field.IsStatic: true };
        }

        private static bool IsPointerLike(ITypeSymbol? type) =>
            type != null && (type.TypeKind == TypeKind.Pointer || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr);
    }
}
