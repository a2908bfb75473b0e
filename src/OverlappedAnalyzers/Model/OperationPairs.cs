using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The start/finish pairs of RULES.md (built in) plus those configured in .editorconfig, and the
    /// questions every rule asks about a call: does it start an operation, does it finish one?
    /// </summary>
    internal sealed class OperationPairs
    {
        public const string StartOperation = "StartOperation";
        public const string Complete = "Complete";

        public static readonly ImmutableArray<string> BuiltInStartNames = ImmutableArray.Create(
            StartOperation, "AllocateNativeOverlapped", "UnsafeAllocateNativeOverlapped", "Pack", "UnsafePack");

        private readonly KnownSymbols symbols;

        public OperationPairs(KnownSymbols symbols, ImmutableArray<ConfiguredPair> configured)
        {
            this.symbols = symbols;
            Configured = configured;
            var names = new List<string>(BuiltInStartNames);
            names.AddRange(ConfiguredPair.StartNames(configured));
            StartNames = names.ToImmutableArray();
        }

        public ImmutableArray<ConfiguredPair> Configured { get; }

        /// <summary>Every method name that can start an operation: the cheap text gate looks for these before any binding.</summary>
        public ImmutableArray<string> StartNames { get; }

        public bool TryGetStart(IInvocationOperation call, ReceiverResolver resolver, out StartSite? site)
        {
            site = null;
            var method = call.TargetMethod;
            switch (method.Name)
            {
                case StartOperation when !method.IsStatic && IsOverlappedLike(call.Instance?.Type ?? method.ContainingType):
                    return TryCreateInstanceSite(PairKind.StartOperationConvention, call, resolver, null, out site);

                case "AllocateNativeOverlapped" or "UnsafeAllocateNativeOverlapped" when IsType(method.ContainingType, symbols.ThreadPoolBoundHandle):
                    return TryCreatePointerSite(PairKind.ThreadPoolBoundHandle, call, resolver, call.Instance, out site);

                case "Pack" or "UnsafePack" when !method.IsStatic && IsType(method.ContainingType, symbols.ThreadingOverlapped):
                    return TryCreatePointerSite(PairKind.OverlappedPack, call, resolver, null, out site);
            }

            foreach (var pair in Configured)
            {
                if (method.Name == pair.StartMethod && !method.IsStatic && pair.MatchesType(method.ContainingType))
                {
                    return TryCreateInstanceSite(PairKind.Configured, call, resolver, pair, out site);
                }
            }

            return false;
        }

        /// <summary>
        /// When <paramref name="call"/> finishes an operation of <paramref name="kind"/>, the operation denoting
        /// what it finishes (the receiver of <c>Complete()</c>, the pointer given to the free call).
        /// </summary>
        public IOperation? GetFinishedOperand(IInvocationOperation call, PairKind kind, ConfiguredPair? configured)
        {
            var method = call.TargetMethod;
            switch (kind)
            {
                case PairKind.StartOperationConvention:
                    return method.Name == Complete && method.Parameters.Length == 0 && !method.IsStatic ? call.Instance : null;
                case PairKind.ThreadPoolBoundHandle:
                    return method.Name == "FreeNativeOverlapped" && call.Arguments.Length == 1 && IsType(method.ContainingType, symbols.ThreadPoolBoundHandle)
                        ? call.Arguments[0].Value
                        : null;
                case PairKind.OverlappedPack:
                    return method.Name == "Free" && method.IsStatic && call.Arguments.Length == 1 && IsType(method.ContainingType, symbols.ThreadingOverlapped)
                        ? call.Arguments[0].Value
                        : null;
                case PairKind.Configured:
                    return configured != null && method.Name == configured.FinishMethod && !method.IsStatic ? call.Instance : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// The convention's receivers: a type whose name contains "Overlapped" or that declares a parameterless
        /// Complete(). A telemetry client's StartOperation (no Complete, no "Overlapped") is not one.
        /// </summary>
        public static bool IsOverlappedLike(ITypeSymbol? type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (current.Name.IndexOf("Overlapped", StringComparison.OrdinalIgnoreCase) >= 0 || DeclaresParameterlessComplete(current))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when the type or a base type declares an instance <c>Complete()</c> (upstream AsyncIO has none).</summary>
        public static bool HasCompleteMethod(ITypeSymbol? type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (DeclaresParameterlessComplete(current))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaresParameterlessComplete(ITypeSymbol type)
        {
            // The declared names first: GetMembers(name) builds a source type's members-by-name map, and most types
            // asked about (every field type of every type OVL004 looks at) have no Complete at all.
            if (type is INamedTypeSymbol named && !System.Linq.Enumerable.Contains(named.MemberNames, Complete))
            {
                return false;
            }

            foreach (var member in type.GetMembers(Complete))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0 })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsType(INamedTypeSymbol? candidate, INamedTypeSymbol? known) =>
            known != null && SymbolEqualityComparer.Default.Equals(candidate?.OriginalDefinition, known);

        private static bool TryCreateInstanceSite(PairKind kind, IInvocationOperation call, ReceiverResolver resolver, ConfiguredPair? configured, out StartSite? site)
        {
            site = null;
            var instance = call.Instance;
            var key = resolver.Resolve(instance);
            if (instance is null || key is null)
            {
                return false;
            }

            site = new StartSite(kind, call, key, instance, configured, null);
            return true;
        }

        /// <summary>Pointer pairs start the variable or field that receives the returned NativeOverlapped*.</summary>
        private static bool TryCreatePointerSite(PairKind kind, IInvocationOperation call, ReceiverResolver resolver, IOperation? owner, out StartSite? site)
        {
            site = null;
            IOperation current = call;
            while (current.Parent is IConversionOperation conversion)
            {
                current = conversion;
            }

            if (current.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                site = new StartSite(kind, call, ReceiverKey.ForVariable(declarator.Symbol), declarator, null, owner);
                return true;
            }

            if (current.Parent is ISimpleAssignmentOperation assignment && assignment.Value == current)
            {
                var key = resolver.Resolve(assignment.Target);
                if (key != null)
                {
                    site = new StartSite(kind, call, key, assignment.Target, null, owner);
                    return true;
                }
            }

            return false;
        }
    }
}
