using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Dispose
{
    /// <summary>
    /// OVL004 for one named type: members report their facts as their operation blocks are analysed (in any
    /// order, concurrently), and <see cref="Evaluate"/> decides at symbol end, when every member has been seen.
    /// </summary>
    internal sealed class DisposeTypeAnalysis
    {
        private const int MaxCallDepth = 4;

        private readonly INamedTypeSymbol type;
        private readonly bool isOverlappedType;
        private readonly ImmutableArray<IMethodSymbol> disposeMethods;
        private readonly ImmutableArray<IFieldSymbol> overlappedFields;
        private readonly HashSet<ISymbol> trackedFields = DisposeShapes.NewSymbolSet();
        private readonly HashSet<ISymbol> disposeSet = DisposeShapes.NewSymbolSet();
        private ImmutableStack<DisposeMethodFacts> collected = ImmutableStack<DisposeMethodFacts>.Empty;

        /// <summary>Every member's facts by member: indexed from <see cref="collected"/> at symbol end, when every member has been added.</summary>
        private Dictionary<ISymbol, DisposeMethodFacts> facts = new Dictionary<ISymbol, DisposeMethodFacts>(SymbolEqualityComparer.Default);
        private int errors;

        private DisposeTypeAnalysis(INamedTypeSymbol type, bool isOverlappedType, ImmutableArray<IMethodSymbol> disposeMethods, ImmutableArray<IFieldSymbol> overlappedFields)
        {
            this.type = type;
            this.isOverlappedType = isOverlappedType;
            this.disposeMethods = disposeMethods;
            this.overlappedFields = overlappedFields;
            foreach (var field in overlappedFields)
            {
                trackedFields.Add(field.OriginalDefinition);
            }

            foreach (var method in disposeMethods)
            {
                disposeSet.Add(method.OriginalDefinition);
            }
        }

        /// <summary>The per-type fast path: null unless the type is an overlapped with a Dispose, or owns overlapped fields.</summary>
        public static DisposeTypeAnalysis? TryCreate(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsImplicitlyDeclared)
            {
                return null;
            }

            var isOverlapped = OperationPairs.IsOverlappedLike(type);
            var fields = DisposeShapes.OverlappedFields(type);
            if (!isOverlapped && fields.IsEmpty)
            {
                return null;
            }

            var disposeMethods = DisposeShapes.DisposeMethods(type);
            if ((disposeMethods.IsEmpty && fields.IsEmpty) || HasSyntaxErrors(type, cancellationToken))
            {
                return null;
            }

            return new DisposeTypeAnalysis(type, isOverlapped && !disposeMethods.IsEmpty, disposeMethods, fields);
        }

        public void Add(ISymbol owner, ImmutableArray<IOperation> blocks)
        {
            if (!SymbolEqualityComparer.Default.Equals(owner.ContainingType?.OriginalDefinition, type.OriginalDefinition))
            {
                return;
            }

            var collectGuards = isOverlappedType && owner is IMethodSymbol method && disposeSet.Contains(method.OriginalDefinition);
            var memberFacts = DisposeMethodFacts.Collect(owner, blocks, type, trackedFields, isOverlappedType, collectGuards);
            if (memberFacts.HasErrors)
            {
                Interlocked.Exchange(ref errors, 1);
                return;
            }

            // Lock-free: a per-type dictionary's lock, taken once per member by concurrent block actions, cost more than the facts.
            ImmutableInterlocked.Push(ref collected, memberFacts);
        }

        public IEnumerable<DisposeFinding> Evaluate()
        {
            if (Volatile.Read(ref errors) != 0)
            {
                yield break;
            }

            facts = IndexByMember(Volatile.Read(ref collected));

            if (isOverlappedType)
            {
                var deferral = FindUnfinishedDeferral();
                if (deferral != null)
                {
                    yield return deferral;
                }
            }

            foreach (var finding in FindUndisposedFields())
            {
                yield return finding;
            }
        }

        private DisposeFinding? FindUnfinishedDeferral()
        {
            var stateMembers = StateMembers();
            var disposedFlags = DisposedFlags();
            foreach (var dispose in disposeMethods)
            {
                if (!facts.TryGetValue(dispose.OriginalDefinition, out var disposeFacts))
                {
                    continue;
                }

                var deferredKinds = new HashSet<string>();
                var unsure = false;
                foreach (var free in disposeFacts.GuardedFrees)
                {
                    if (!Overlaps(free.GuardMembers, stateMembers))
                    {
                        continue;
                    }

                    if (free.PrimitiveKind != null)
                    {
                        deferredKinds.Add(free.PrimitiveKind);
                    }
                    else if (free.Helper != null)
                    {
                        var helperKinds = FreeKinds(free.Helper);
                        if (helperKinds.Count == 0)
                        {
                            continue;
                        }

                        // Code outside the type may call a visible free helper when the completion arrives.
                        unsure |= free.Helper.DeclaredAccessibility != Accessibility.Private && !disposeSet.Contains(free.Helper);
                        deferredKinds.UnionWith(helperKinds);
                    }
                }

                if (deferredKinds.Count == 0 || unsure || HasCompletionSideFree(deferredKinds, disposedFlags))
                {
                    continue;
                }

                var location = DisposeLocation(dispose);
                if (location != null)
                {
                    return new DisposeFinding(
                        location,
                        type.Name + ".Dispose",
                        "defers freeing while an operation is in progress, but no completion path in '" + type.Name + "' frees a disposed instance: the deferred free never runs",
                        null);
                }
            }

            return null;
        }

        /// <summary>Members that say "an operation is in progress": written by a Start* method, or named so.</summary>
        private HashSet<ISymbol> StateMembers()
        {
            var members = DisposeShapes.NewSymbolSet();
            foreach (var pair in facts)
            {
                if (pair.Key is IMethodSymbol method && method.Name.StartsWith("Start", System.StringComparison.Ordinal))
                {
                    members.UnionWith(pair.Value.WrittenMembers);
                }
            }

            foreach (var pair in facts)
            {
                foreach (var read in pair.Value.ReadMembers)
                {
                    if (read.Name.IndexOf("InProgress", System.StringComparison.OrdinalIgnoreCase) >= 0
                        || read.Name.IndexOf("Pending", System.StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        members.Add(read);
                    }
                }
            }

            return members;
        }

        /// <summary>Boolean or enum members a Dispose method writes: the "disposed" mark the completion side checks.</summary>
        private HashSet<ISymbol> DisposedFlags()
        {
            var flags = DisposeShapes.NewSymbolSet();
            foreach (var dispose in disposeMethods)
            {
                if (!facts.TryGetValue(dispose.OriginalDefinition, out var disposeFacts))
                {
                    continue;
                }

                foreach (var written in disposeFacts.WrittenMembers)
                {
                    var memberType = written switch
                    {
                        IFieldSymbol field => field.Type,
                        IPropertySymbol property => property.Type,
                        _ => null,
                    };
                    if (memberType is { SpecialType: SpecialType.System_Boolean } or { TypeKind: TypeKind.Enum })
                    {
                        flags.Add(written);
                    }
                }
            }

            return flags;
        }

        /// <summary>A method other than Dispose that checks the disposed mark and releases what Dispose deferred.</summary>
        private bool HasCompletionSideFree(HashSet<string> deferredKinds, HashSet<ISymbol> disposedFlags)
        {
            foreach (var pair in facts)
            {
                if (pair.Key is not IMethodSymbol method || disposeSet.Contains(method) || method.MethodKind == MethodKind.Constructor)
                {
                    continue;
                }

                if (Overlaps(pair.Value.ReadMembers, disposedFlags) && FreeKinds(method).Overlaps(deferredKinds))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Primitive frees a method performs itself or through methods of the type it calls (bounded, cycle-safe).</summary>
        private HashSet<string> FreeKinds(IMethodSymbol method)
        {
            var kinds = new HashSet<string>();
            var visited = DisposeShapes.NewSymbolSet();
            var pending = new Stack<(ISymbol Method, int Depth)>();
            pending.Push((method.OriginalDefinition, 0));
            while (pending.Count > 0)
            {
                var (current, depth) = pending.Pop();
                if (!visited.Add(current) || !facts.TryGetValue(current, out var currentFacts))
                {
                    continue;
                }

                kinds.UnionWith(currentFacts.PrimitiveFrees);
                if (depth < MaxCallDepth)
                {
                    foreach (var callee in currentFacts.CalledMethods)
                    {
                        pending.Push((callee, depth + 1));
                    }
                }
            }

            return kinds;
        }

        private IEnumerable<DisposeFinding> FindUndisposedFields()
        {
            if (overlappedFields.IsEmpty)
            {
                yield break;
            }

            var primary = DisposeShapes.PrimaryDispose(disposeMethods);
            if (primary is null && !DisposeShapes.ImplementsIDisposable(type))
            {
                yield break;
            }

            var context = DisposeContext(everyMethod: primary is null);
            if (context is null)
            {
                yield break;
            }

            var location = primary != null ? DisposeLocation(primary) : TypeLocation();
            if (location is null)
            {
                yield break;
            }

            foreach (var field in overlappedFields)
            {
                if (IsOwnedAndUndisposed(field.OriginalDefinition, context))
                {
                    yield return new DisposeFinding(
                        location,
                        primary != null ? type.Name + ".Dispose" : type.Name,
                        (primary != null ? "never disposes" : "implements IDisposable but never disposes") + " the overlapped field '" + field.Name + "': its native block and GCHandle leak",
                        field);
                }
            }
        }

        /// <summary>
        /// Dispose methods, overrides (a base Dispose may call them) and the methods of the type they call; every
        /// member when the type inherits its Dispose. Null when a Dispose body was not seen (abstract, extern).
        /// </summary>
        private HashSet<ISymbol>? DisposeContext(bool everyMethod)
        {
            var context = DisposeShapes.NewSymbolSet();
            var pending = new Stack<(ISymbol Method, int Depth)>();
            foreach (var owner in facts.Keys)
            {
                if (everyMethod || owner.IsOverride)
                {
                    pending.Push((owner, 0));
                }
            }

            foreach (var dispose in disposeMethods)
            {
                if (!facts.ContainsKey(dispose.OriginalDefinition))
                {
                    return null;
                }

                pending.Push((dispose.OriginalDefinition, 0));
            }

            while (pending.Count > 0)
            {
                var (current, depth) = pending.Pop();
                if (!context.Add(current) || depth >= MaxCallDepth || !facts.TryGetValue(current, out var currentFacts))
                {
                    continue;
                }

                foreach (var callee in currentFacts.CalledMethods)
                {
                    pending.Push((callee, depth + 1));
                }
            }

            return context;
        }

        private bool IsOwnedAndUndisposed(ISymbol field, HashSet<ISymbol> context)
        {
            var created = false;
            var disposed = false;
            foreach (var pair in facts)
            {
                var inDispose = context.Contains(pair.Key);
                foreach (var use in pair.Value.Uses)
                {
                    if (!SymbolEqualityComparer.Default.Equals(use.Variable, field))
                    {
                        continue;
                    }

                    switch (use.Kind)
                    {
                        case DisposeUseKind.Write:
                            created |= use.Created;
                            break;
                        case DisposeUseKind.Escape:
                            return false;
                        case DisposeUseKind.HelperArgument when !inDispose:
                            return false;
                        case DisposeUseKind.HelperArgument:
                            disposed |= HelperMayDispose(use.Helper!, use.Ordinal);
                            break;
                        case DisposeUseKind.Dispose or DisposeUseKind.LocalCopy when inDispose:
                            disposed = true;
                            break;
                    }
                }
            }

            return created && !disposed;
        }

        /// <summary>One level of helper: does the helper dispose (or hand on) the parameter it receives the field in?</summary>
        private bool HelperMayDispose(IMethodSymbol helper, int ordinal)
        {
            if (!facts.TryGetValue(helper.OriginalDefinition, out var helperFacts) || ordinal < 0 || ordinal >= helper.Parameters.Length)
            {
                return true;
            }

            var parameter = helper.Parameters[ordinal];
            foreach (var use in helperFacts.Uses)
            {
                if (use.Variable is IParameterSymbol used
                    && used.Ordinal == parameter.Ordinal
                    && SymbolEqualityComparer.Default.Equals(used.ContainingSymbol.OriginalDefinition, helper.OriginalDefinition)
                    && use.Kind is not (DisposeUseKind.Harmless or DisposeUseKind.Write))
                {
                    return true;
                }
            }

            return false;
        }

        private static Location? DisposeLocation(IMethodSymbol dispose)
        {
            foreach (var reference in dispose.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is MethodDeclarationSyntax declaration)
                {
                    return declaration.Identifier.GetLocation();
                }
            }

            return null;
        }

        private Location? TypeLocation()
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is BaseTypeDeclarationSyntax declaration)
                {
                    return declaration.Identifier.GetLocation();
                }
            }

            return null;
        }

        private static bool HasSyntaxErrors(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken).ContainsDiagnostics)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Overlaps(IEnumerable<ISymbol> candidates, HashSet<ISymbol> set)
        {
            foreach (var candidate in candidates)
            {
                if (set.Contains(candidate))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The members' facts by member, in the order they were added; a member added twice keeps its first facts. (A field with
        /// an initializer and a property accessor are separate owners; a method has one block set.)
        /// </summary>
        private static Dictionary<ISymbol, DisposeMethodFacts> IndexByMember(ImmutableStack<DisposeMethodFacts> collected)
        {
            var inAddedOrder = new Stack<DisposeMethodFacts>();
            foreach (var memberFacts in collected)
            {
                inAddedOrder.Push(memberFacts);
            }

            var byMember = new Dictionary<ISymbol, DisposeMethodFacts>(SymbolEqualityComparer.Default);
            foreach (var memberFacts in inAddedOrder)
            {
                var member = memberFacts.Owner.OriginalDefinition;
                if (!byMember.ContainsKey(member))
                {
                    byMember.Add(member, memberFacts);
                }
            }

            return byMember;
        }
    }
}
