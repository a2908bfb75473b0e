using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>A field-holder leak the type-wide decision found.</summary>
    internal readonly struct FieldLeak
    {
        public FieldLeak(AllocationSite site, LeakReason reason, string name)
        {
            Site = site;
            Reason = reason;
            Name = name;
        }

        public AllocationSite Site { get; }

        public LeakReason Reason { get; }

        /// <summary>The member (never freed) or the method that overwrites it.</summary>
        public string Name { get; }
    }

    /// <summary>
    /// Per-type state for the field shapes of OVL003/OVL005, filled concurrently by the code blocks of the type's
    /// members and decided once at symbol end (never at compilation end, so it reports in live analysis):
    /// a member that stores an allocation and that nothing in the type frees or hands on; a member re-assigned in
    /// a non-constructor method while it may still hold what a constructor (or a helper a constructor calls) put
    /// there — unless the method is a private helper whose every caller frees first or is a constructor.
    /// </summary>
    internal sealed class TypeOwnership
    {
        private const int MaxCallerDepth = 4;

        private readonly ConcurrentQueue<FieldStore> stores = new ConcurrentQueue<FieldStore>();
        private readonly ConcurrentQueue<HelperCall> calls = new ConcurrentQueue<HelperCall>();
        private readonly ConcurrentDictionary<ISymbol, bool> released = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<AllocationFamily, bool> untargeted = new ConcurrentDictionary<AllocationFamily, bool>();
        private readonly ConcurrentDictionary<(IMethodSymbol Method, string Member), bool> freesCache = new ConcurrentDictionary<(IMethodSymbol, string), bool>(new MethodMemberComparer());
        private readonly INamedTypeSymbol type;
        private readonly ConcurrentQueue<DeferredCodeBlock> deferred = new ConcurrentQueue<DeferredCodeBlock>();
        private ImmutableArray<string> allocatingNames;

        public TypeOwnership(INamedTypeSymbol type, ImmutableHashSet<ISymbol> candidates)
        {
            this.type = type;
            Candidates = candidates;
            MemberNames = candidates.Select(c => c.Name).Distinct().ToImmutableArray();
        }

        public ImmutableHashSet<ISymbol> Candidates { get; }

        /// <summary>
        /// Identifiers that make a member's code block able to allocate, so it is analyzed at once: the allocators and
        /// the type's allocating helpers (a caller that only calls <c>SetBuffer</c> may still store what it returns
        /// or overwrite what it stored).
        /// </summary>
        public ImmutableArray<string> AllocatingNames(CancellationToken cancellationToken)
        {
            if (allocatingNames.IsDefault)
            {
                var names = new HashSet<string>(NativeAllocations.GateNames);
                foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
                {
                    foreach (var reference in method.DeclaringSyntaxReferences)
                    {
                        if (TextGate.ContainsAnyIdentifier(reference.SyntaxTree.GetText(cancellationToken), reference.Span, NativeAllocations.GateNames))
                        {
                            names.Add(method.Name);
                        }
                    }
                }

                ImmutableInterlocked.InterlockedInitialize(ref allocatingNames, names.ToImmutableArray());
            }

            return allocatingNames;
        }

        /// <summary>
        /// The candidate members' names: a code block that names one but no allocator (<see cref="AllocatingNames"/>)
        /// can only free, hand on or overwrite them — facts that matter only for a member some block stored an
        /// allocation in. Such blocks are <see cref="Defer">deferred</see> to symbol end.
        /// </summary>
        public ImmutableArray<string> MemberNames { get; }

        /// <summary>Keeps a code block that names a candidate member but no allocator, for <see cref="TakeDeferredIfNeeded"/>.</summary>
        public void Defer(DeferredCodeBlock block) => deferred.Enqueue(block);

        /// <summary>
        /// At symbol end: the deferred blocks whose facts <see cref="Decide"/> can read. It reports only members that
        /// received an allocation, so a block matters only if it names such a member (a free, hand-on or overwrite of
        /// it), calls a free of a stored family through a value it cannot name (an untargeted free), or calls a method
        /// that stores — or, transitively, a method that does (the helper calls the caller and constructor questions
        /// walk). None of these can happen without the name in the block's text. On a type whose handle fields never
        /// receive an allocation (a socket's <c>IntPtr m_handle</c>), and for the methods of any type that touch none
        /// of the stored members, nothing is graphed.
        /// </summary>
        public IReadOnlyList<DeferredCodeBlock> TakeDeferredIfNeeded(CancellationToken cancellationToken)
        {
            var taken = new List<DeferredCodeBlock>();
            if (stores.IsEmpty)
            {
                return taken;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var store in stores)
            {
                names.Add(store.Site.Holder!.Name);
                names.Add(FreeNameOf(store.Site.Family));
                if (store.Method != null)
                {
                    names.Add(store.Method.Name);
                }
            }

            var waiting = deferred.ToList();
            for (var grew = true; grew;)
            {
                grew = false;
                var gate = names.ToImmutableArray();
                for (var index = waiting.Count - 1; index >= 0; index--)
                {
                    var block = waiting[index];
                    if (TextGate.ContainsAnyIdentifier(block.CodeBlock.SyntaxTree.GetText(cancellationToken), block.CodeBlock.Span, gate))
                    {
                        taken.Add(block);
                        waiting.RemoveAt(index);
                        grew |= names.Add(block.Method.Name);
                    }
                }
            }

            return taken;
        }

        /// <summary>The name of the call that frees <paramref name="family"/> (what an untargeted free of it is spelled with).</summary>
        private static string FreeNameOf(AllocationFamily family) => family switch
        {
            AllocationFamily.TypedGCHandle => "Dispose",
            AllocationFamily.HGlobal => "FreeHGlobal",
            AllocationFamily.CoTaskMem => "FreeCoTaskMem",
            AllocationFamily.AlignedNativeMemory => "AlignedFree",
            _ => "Free",
        };

        public void Add(OwnershipResult result)
        {
            foreach (var store in result.FieldStores)
            {
                stores.Enqueue(store);
            }

            foreach (var call in result.HelperCalls)
            {
                calls.Enqueue(call);
            }

            foreach (var member in result.ReleasedMembers)
            {
                released[member] = true;
            }

            foreach (var family in result.UntargetedFrees)
            {
                untargeted[family] = true;
            }
        }

        public void AddStore(FieldStore store) => stores.Enqueue(store);

        /// <summary>
        /// One level, by syntax: does <paramref name="method"/> free <paramref name="member"/>
        /// (<c>m.Free()</c>, <c>Marshal.FreeHGlobal(m)</c>, <c>GCHandle.FromIntPtr(m).Free()</c>, ...)?
        /// </summary>
        public bool CalleeFrees(IMethodSymbol method, ISymbol member) =>
            freesCache.GetOrAdd((method, member.Name), key => ComputeFrees(key.Method, key.Member));

        public IEnumerable<FieldLeak> Decide()
        {
            var callList = calls.ToList();
            var fromConstructors = ReachableFromConstructors(callList);
            foreach (var group in stores.GroupBy(s => s.Site.Holder!.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                var member = group.Key!;
                var memberStores = group.OrderBy(s => s.Site.Operation.Syntax.SpanStart).ToList();
                if (member.IsStatic && (IsReadOnly(member) || memberStores.All(s => IsMadeOnce(s, callList))))
                {
                    // Kept for the life of the process on purpose (documented): a static handle or block made once.
                    continue;
                }

                var freed = released.ContainsKey(member) || memberStores.Any(s => untargeted.ContainsKey(s.Site.Family));
                if (!freed)
                {
                    foreach (var store in memberStores)
                    {
                        yield return new FieldLeak(store.Site, LeakReason.NeverFreedInType, member.Name);
                    }

                    continue;
                }

                var persistent = memberStores.Any(s => s.InConstructor || (s.Method != null && fromConstructors.Contains(s.Method.OriginalDefinition)));
                foreach (var store in memberStores)
                {
                    if (store.InConstructor || store.Method is null)
                    {
                        continue;
                    }

                    if (store.MayHoldFromThisMethod)
                    {
                        yield return new FieldLeak(store.Site, LeakReason.OverwrittenInMethod, store.Method.Name);
                    }
                    else if (store.MayHoldFromEntry && persistent)
                    {
                        var offender = FindOffender(store.Method.OriginalDefinition, member, callList, 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), CalleeFrees);
                        if (offender != null)
                        {
                            yield return new FieldLeak(store.Site, LeakReason.OverwrittenInMethod, offender.Name);
                        }
                    }
                }
            }
        }

        /// <summary>The method where the overwrite happens with something still allocated, or null when every caller frees first.</summary>
        private static IMethodSymbol? FindOffender(IMethodSymbol method, ISymbol member, List<HelperCall> callList, int depth, HashSet<IMethodSymbol> visited, Func<IMethodSymbol, ISymbol, bool> calleeFrees)
        {
            if (method.DeclaredAccessibility != Accessibility.Private)
            {
                return method;
            }

            if (depth >= MaxCallerDepth || !visited.Add(method))
            {
                // Cannot tell: stay silent.
                return null;
            }

            foreach (var call in callList)
            {
                if (!SymbolEqualityComparer.Default.Equals(call.Callee, method) || call.CallerIsConstructor || !call.MayHold(member))
                {
                    continue;
                }

                // "Unpin(); Pin(buffer);": the caller releases through another helper of the type first. The order
                // is not checked here, so this errs on the side of silence (precision first).
                if (callList.Any(other => SymbolEqualityComparer.Default.Equals(other.Caller, call.Caller)
                    && !SymbolEqualityComparer.Default.Equals(other.Callee, method)
                    && calleeFrees(other.Callee.OriginalDefinition, member)))
                {
                    continue;
                }

                var offender = FindOffender(call.Caller.OriginalDefinition, member, callList, depth + 1, visited, calleeFrees);
                if (offender != null)
                {
                    return offender;
                }
            }

            return null;
        }

        private static HashSet<IMethodSymbol> ReachableFromConstructors(List<HelperCall> callList)
        {
            var reached = new HashSet<IMethodSymbol>(callList.Where(c => c.CallerIsConstructor).Select(c => c.Callee), SymbolEqualityComparer.Default);
            for (var round = 0; round < MaxCallerDepth; round++)
            {
                var added = false;
                foreach (var call in callList)
                {
                    if (reached.Contains(call.Caller.OriginalDefinition) && reached.Add(call.Callee))
                    {
                        added = true;
                    }
                }

                if (!added)
                {
                    break;
                }
            }

            return reached;
        }

        /// <summary>
        /// A store into a static that happens once per process: its initializer, the static constructor (or a private
        /// helper only the static constructor calls), or a lazy store into a static known to hold nothing
        /// (<c>if (s_block == IntPtr.Zero) s_block = Marshal.AllocHGlobal(n);</c>).
        /// </summary>
        private static bool IsMadeOnce(FieldStore store, List<HelperCall> callList)
        {
            if (store.Method is null || store.Method.MethodKind == MethodKind.StaticConstructor)
            {
                return true;
            }

            if (!store.MayHoldFromEntry && !store.MayHoldFromThisMethod)
            {
                return true;
            }

            var method = store.Method.OriginalDefinition;
            var callers = callList.Where(c => SymbolEqualityComparer.Default.Equals(c.Callee, method)).ToList();
            return method.DeclaredAccessibility == Accessibility.Private
                && callers.Count > 0
                && callers.All(c => c.Caller.MethodKind == MethodKind.StaticConstructor);
        }

        private static bool IsReadOnly(ISymbol member) => member switch
        {
            IFieldSymbol field => field.IsReadOnly,
            IPropertySymbol property => property.SetMethod is null,
            _ => false,
        };

        private static bool ComputeFrees(IMethodSymbol method, string member)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                foreach (var invocation in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    var arguments = invocation.ArgumentList.Arguments;
                    switch (invocation.Expression)
                    {
                        case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Free" or "Dispose" } access when arguments.Count == 0:
                            if (Names(access.Expression, member)
                                || (access.Expression is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } inner
                                    && inner.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromIntPtr" }
                                    && Names(inner.ArgumentList.Arguments[0].Expression, member)))
                            {
                                return true;
                            }

                            break;

                        case var expression when arguments.Count == 1 && FreeName(expression) is "FreeHGlobal" or "FreeCoTaskMem" or "Free" or "AlignedFree":
                            if (Names(arguments[0].Expression, member))
                            {
                                return true;
                            }

                            break;
                    }
                }
            }

            return false;
        }

        private static string? FreeName(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax name => name.Identifier.ValueText,
            _ => null,
        };

        private static bool Names(ExpressionSyntax expression, string member)
        {
            for (var depth = 0; depth < 8; depth++)
            {
                switch (expression)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        expression = parenthesized.Expression;
                        continue;
                    case CastExpressionSyntax cast:
                        expression = cast.Expression;
                        continue;
                    case IdentifierNameSyntax name:
                        return name.Identifier.ValueText == member;
                    case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                        return access.Name.Identifier.ValueText == member;
                    default:
                        return false;
                }
            }

            return false;
        }

        private sealed class MethodMemberComparer : IEqualityComparer<(IMethodSymbol Method, string Member)>
        {
            public bool Equals((IMethodSymbol Method, string Member) x, (IMethodSymbol Method, string Member) y) =>
                x.Member == y.Member && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

            public int GetHashCode((IMethodSymbol Method, string Member) obj) =>
                unchecked((SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Member.GetHashCode());
        }
    }
}
