using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Ownership;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Rules
{
    /// <summary>
    /// OVL003 (GCHandle) and OVL005 (native memory): an allocation that is discarded, reaches an exit in a local
    /// without being freed or handed on, is stored in a member nothing in the type frees, or overwrites a member
    /// that may still hold one. Per type: symbol start → code blocks (gated by text) → symbol end. A block that names
    /// an allocator is analyzed at once (local leaks, stores); one that names only a candidate member waits for symbol
    /// end and is analyzed only if the type's decision can read it (<see cref="TypeOwnership.TakeDeferredIfNeeded"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HandleLeakAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: which fix applies (<see cref="TryFinallyFix"/>, <see cref="FreeBeforeExitFix"/>, <see cref="FreeInDisposeFix"/>).</summary>
        public const string FixProperty = "Fix";

        public const string TryFinallyFix = "TryFinally";
        public const string FreeBeforeExitFix = "FreeBeforeExit";
        public const string FreeInDisposeFix = "FreeInDispose";

        /// <summary>Diagnostic property: the statement that frees the holder (<c>handle.Free();</c>, <c>Marshal.FreeHGlobal(p);</c>).</summary>
        public const string FreeStatementProperty = "FreeStatement";

        /// <summary>Diagnostic property: the local or member that holds the allocation.</summary>
        public const string HolderProperty = "Holder";

        /// <summary>Diagnostic property (Dispose fix): the test that the member still holds something.</summary>
        public const string AllocatedTestProperty = "AllocatedTest";

        /// <summary>Diagnostic property (Dispose fix, optional): the statement that forgets the freed pointer.</summary>
        public const string ResetProperty = "Reset";

        /// <summary>
        /// Diagnostic property, with <see cref="FreeInDisposeFix"/>: the field is <c>readonly</c> and the fix drops the modifier.
        /// Freeing a readonly struct field frees a defensive copy: the field would still look allocated and a second Dispose would free it again.
        /// </summary>
        public const string DropReadonlyProperty = "DropReadonly";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OVL003, Descriptors.OVL005);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // The fast path: no tree names an allocator, so nothing can leak one; register nothing.
                var trees = TreeGate.Create(start.Compilation, NativeAllocations.GateNames, start.CancellationToken);
                if (trees.IsEmpty)
                {
                    return;
                }

                var allocations = new NativeAllocations(KnownSymbols.Create(start.Compilation), start.Compilation);
                if (allocations.IsEmpty)
                {
                    return;
                }

                // Per compilation: which helpers of the compilation only read through a pointer they are passed.
                var lenders = new SourceLenders(start.Compilation, allocations);
                start.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        // A type none of whose declarations names an allocator can neither allocate nor own an allocation.
                        if (trees.Mentions(symbolStart.Symbol.DeclaringSyntaxReferences, NativeAllocations.GateNames, symbolStart.CancellationToken))
                        {
                            OnType(symbolStart, allocations, lenders);
                        }
                    },
                    SymbolKind.NamedType);
            });
        }

        private static void OnType(SymbolStartAnalysisContext context, NativeAllocations allocations, SourceLenders lenders)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var candidates = CandidateMembers(type, allocations);
            var state = candidates.IsEmpty ? null : new TypeOwnership(type, candidates);
            context.RegisterCodeBlockAction(block => AnalyzeCodeBlock(block, allocations, lenders, type, candidates, state));
            if (state != null)
            {
                context.RegisterOperationAction(initializer => AnalyzeInitializer(initializer, allocations, state), OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
                context.RegisterSymbolEndAction(end =>
                {
                    foreach (var deferred in state.TakeDeferredIfNeeded(end.CancellationToken))
                    {
                        // A block without an allocator has no local leak to report (no allocation site): only its member facts count.
                        foreach (var result in Analyze(deferred.Model, deferred.CodeBlock, deferred.Method, allocations, lenders, type, candidates, state, deferred.Options, end.CancellationToken))
                        {
                            state.Add(result);
                        }
                    }

                    foreach (var leak in state.Decide())
                    {
                        end.ReportDiagnostic(FieldDiagnostic(leak, type));
                    }
                });
            }
        }

        /// <summary>Fields and properties that can hold a handle or a block: GCHandle, IntPtr/UIntPtr, pointers, GCHandle&lt;T&gt;.</summary>
        private static ImmutableHashSet<ISymbol> CandidateMembers(INamedTypeSymbol type, NativeAllocations allocations)
        {
            var builder = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var member in type.GetMembers())
            {
                switch (member)
                {
                    case IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } field when allocations.IsHolderType(field.Type):
                        builder.Add(field.OriginalDefinition);
                        break;
                    case IPropertySymbol { IsIndexer: false } property when allocations.IsHolderType(property.Type):
                        builder.Add(property.OriginalDefinition);
                        break;
                }
            }

            return builder.ToImmutable();
        }

        private static void AnalyzeCodeBlock(CodeBlockAnalysisContext context, NativeAllocations allocations, SourceLenders lenders, INamedTypeSymbol type, ImmutableHashSet<ISymbol> candidates, TypeOwnership? state)
        {
            if (context.OwningSymbol is not IMethodSymbol method)
            {
                return;
            }

            var text = context.CodeBlock.SyntaxTree.GetText(context.CancellationToken);
            var span = context.CodeBlock.Span;
            if (!TextGate.ContainsAnyIdentifier(text, span, state?.AllocatingNames(context.CancellationToken) ?? NativeAllocations.GateNames))
            {
                // No allocator here: no local leak, no store. Only a member's fate can be read, and only if a member needs it.
                if (state != null && TextGate.ContainsAnyIdentifier(text, span, state.MemberNames))
                {
                    state.Defer(new DeferredCodeBlock(context.SemanticModel, context.CodeBlock, method, context.Options));
                }

                return;
            }

            foreach (var result in Analyze(context.SemanticModel, context.CodeBlock, method, allocations, lenders, type, candidates, state, context.Options, context.CancellationToken))
            {
                foreach (var diagnostic in LocalDiagnostics(result))
                {
                    context.ReportDiagnostic(diagnostic);
                }

                state?.Add(result);
            }
        }

        /// <summary>The ownership analysis of a code block's graph and of each of its local functions' and lambdas' graphs.</summary>
        private static IEnumerable<OwnershipResult> Analyze(
            SemanticModel model,
            SyntaxNode codeBlock,
            IMethodSymbol method,
            NativeAllocations allocations,
            SourceLenders lenders,
            INamedTypeSymbol type,
            ImmutableHashSet<ISymbol> candidates,
            TypeOwnership? state,
            AnalyzerOptions options,
            CancellationToken cancellationToken)
        {
            var isConstructor = method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor;
            var root = true;
            foreach (var graph in GraphSource.ForCodeBlock(model, codeBlock, cancellationToken))
            {
                yield return OwnershipAnalysis.Analyze(
                    graph,
                    allocations,
                    type,
                    candidates,
                    method,
                    isConstructor && root,
                    state is null ? static (_, _) => false : state.CalleeFrees,
                    lenders,
                    cancellationToken,
                    WorkMeter.Of(options));
                root = false;
            }
        }

        /// <summary><c>private IntPtr m_block = Marshal.AllocHGlobal(64);</c>: a store made at construction.</summary>
        private static void AnalyzeInitializer(OperationAnalysisContext context, NativeAllocations allocations, TypeOwnership state)
        {
            var initializer = (ISymbolInitializerOperation)context.Operation;
            ISymbol? member = initializer switch
            {
                IFieldInitializerOperation { InitializedFields.Length: 1 } field => field.InitializedFields[0],
                IPropertyInitializerOperation { InitializedProperties.Length: 1 } property => property.InitializedProperties[0],
                _ => null,
            };
            if (member is null || !state.Candidates.Contains(member.OriginalDefinition) || initializer.Syntax.ContainsDiagnostics)
            {
                return;
            }

            IOperation? value = initializer.Value;
            for (var depth = 0; depth < 8 && value != null; depth++)
            {
                if (allocations.TryGetAllocation(value, out var family))
                {
                    var site = new AllocationSite(0, value, family, member.OriginalDefinition, member is IFieldSymbol f ? f.Type : ((IPropertySymbol)member).Type);
                    state.AddStore(new FieldStore(site, null, inConstructor: true, mayHoldFromEntry: false, mayHoldFromThisMethod: false));
                    return;
                }

                value = value switch
                {
                    IConversionOperation conversion => conversion.Operand,
                    IInvocationOperation { Arguments.Length: 1 } call when allocations.IsHandleConversion(call.TargetMethod) => call.Arguments[0].Value,
                    _ => null,
                };
            }
        }

        /// <summary>One diagnostic per allocation site: the first reason found, with a fix when the edit is unambiguous.</summary>
        private static IEnumerable<Diagnostic> LocalDiagnostics(OwnershipResult result)
        {
            foreach (var group in result.LocalLeaks.GroupBy(l => l.Site))
            {
                var leaks = group.OrderBy(l => l.Reason).ThenBy(l => l.Exit?.SpanStart ?? int.MaxValue).ToList();
                var chosen = leaks[0];
                var site = chosen.Site;
                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                var additional = new List<Location>();
                if (site.Holder is ILocalSymbol local)
                {
                    properties[HolderProperty] = local.Name;
                    properties[FreeStatementProperty] = NativeAllocations.FreeStatement(site.Family, local.Name, local.Type, site.Operation.Syntax);
                    var exits = leaks.Where(l => l.Reason is LeakReason.Throw or LeakReason.Return or LeakReason.EndOfMethod or LeakReason.DoesNotReturn).ToList();
                    if (exits.Count == leaks.Count && result.WrappableSites.Contains(site))
                    {
                        properties[FixProperty] = TryFinallyFix;
                    }
                    else if (exits.Count == 1 && leaks.Count == 1 && CanFreeBefore(chosen, local))
                    {
                        properties[FixProperty] = FreeBeforeExitFix;
                        additional.Add(chosen.Exit!.GetLocation());
                    }
                }

                if (chosen.Exit != null && additional.Count == 0)
                {
                    additional.Add(chosen.Exit.GetLocation());
                }

                yield return Create(site, Reason(chosen.Reason, chosen.Exit, null), additional, properties.ToImmutable());
            }
        }

        /// <summary>Freeing just before a throw/return is right when every path there holds this allocation and the exit does not use it.</summary>
        private static bool CanFreeBefore(LocalLeak leak, ILocalSymbol local)
        {
            if (!leak.Definite || leak.Exit is not (ThrowStatementSyntax or ReturnStatementSyntax) || leak.Exit.Parent is not (BlockSyntax or IfStatementSyntax or ElseClauseSyntax))
            {
                return false;
            }

            if (leak.Exit.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == local.Name))
            {
                return false;
            }

            var scope = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().FirstAncestorOrSelf<BlockSyntax>();
            return scope != null && scope.Span.Contains(leak.Exit.Span);
        }

        private static Diagnostic FieldDiagnostic(FieldLeak leak, INamedTypeSymbol type)
        {
            var site = leak.Site;
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            var member = site.Holder!;
            var dropReadonly = IsReadonlyFieldBesideAllocation(member, site.Operation.Syntax.SyntaxTree, type);
            if (leak.Reason == LeakReason.NeverFreedInType && HasDispose(type) && !member.IsStatic && (IsWritable(member) || dropReadonly) && site.HolderType != null)
            {
                if (dropReadonly)
                {
                    properties[DropReadonlyProperty] = "true";
                }

                properties[FixProperty] = FreeInDisposeFix;
                properties[HolderProperty] = member.Name;
                properties[FreeStatementProperty] = NativeAllocations.FreeStatement(site.Family, member.Name, site.HolderType, site.Operation.Syntax);
                properties[AllocatedTestProperty] = NativeAllocations.AllocatedTest(member.Name, site.HolderType);
                properties[ResetProperty] = NativeAllocations.ResetStatement(member.Name, site.HolderType);
            }

            return Create(site, Reason(leak.Reason, null, leak.Name), new List<Location>(), properties.ToImmutable());
        }

        private static bool HasDispose(INamedTypeSymbol type) =>
            type.GetMembers("Dispose").OfType<IMethodSymbol>().Any(m => m.Parameters.IsEmpty && !m.IsStatic && m.DeclaringSyntaxReferences.Length == 1
                && m.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Body: not null });

        /// <summary>A <c>readonly</c> field declared alone, in the tree the fix edits, of a type that is not a readonly struct.</summary>
        private static bool IsReadonlyFieldBesideAllocation(ISymbol member, SyntaxTree tree, INamedTypeSymbol type) =>
            member is IFieldSymbol { IsReadOnly: true, IsConst: false, DeclaringSyntaxReferences.Length: 1 } field
            && !type.IsReadOnly
            && field.DeclaringSyntaxReferences[0].SyntaxTree == tree
            && field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax } };

        private static bool IsWritable(ISymbol member) => member switch
        {
            IFieldSymbol field => !field.IsReadOnly,
            IPropertySymbol property => property.SetMethod is { IsInitOnly: false },
            _ => false,
        };

        private static Diagnostic Create(AllocationSite site, string reason, List<Location> additional, ImmutableDictionary<string, string?> properties)
        {
            var descriptor = NativeAllocations.DescriptorFor(site.Family);
            var location = site.Operation.Syntax.GetLocation();
            return descriptor == Descriptors.OVL003
                ? Diagnostic.Create(descriptor, location, additional, properties, reason)
                : Diagnostic.Create(descriptor, location, additional, properties, NativeAllocations.AllocatorName(site.Operation), reason);
        }

        private static string Reason(LeakReason reason, SyntaxNode? exit, string? name)
        {
            var line = exit is null ? 0 : exit.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            return reason switch
            {
                LeakReason.Discarded => "is discarded",
                LeakReason.Overwritten => "is overwritten before it is freed",
                LeakReason.Throw => exit is null ? "is never freed when the method throws" : "is never freed on the path through the throw on line " + line,
                LeakReason.Return => "is never freed on the path through the return on line " + line,
                LeakReason.DoesNotReturn => "is never freed on the path through the call on line " + line + ", which does not return",
                LeakReason.EndOfMethod => "is never freed on a path that reaches the end of the method",
                LeakReason.NeverFreedInType => "is assigned to '" + name + "' but nothing in the type frees it",
                _ => "is overwritten in '" + name + "' while it may still hold an allocation",
            };
        }
    }
}
