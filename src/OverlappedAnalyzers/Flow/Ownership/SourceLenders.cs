using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// Lent to a method of the compilation: <c>Decode(block, length)</c>, <c>WriteHeader(ptr)</c> — helpers that only
    /// read or write through a pointer, IntPtr or GCHandle parameter. A parameter is a lender when the callee's body
    /// only reads, dereferences, lends it (to a framework reader, a P/Invoke, another lender) and never stores,
    /// returns, captures, frees or hands it on; the call is then a lend, and <see cref="LentValues"/> decides with the
    /// caller's frees whether it came back. Anything the body does not show (virtual, abstract, extern, a partial
    /// without body, async, iterators, a chain deeper than <see cref="MaxDepth"/>) stays an escape — precision first.
    /// One instance per compilation; answers are cached per parameter and never depend on the order of questions.
    /// </summary>
    internal sealed class SourceLenders
    {
        /// <summary>How many helpers deep a value may be passed on before the answer is "cannot tell".</summary>
        public const int MaxDepth = 4;

        /// <summary>A body with more references to the parameter than this is not read (bound the work).</summary>
        private const int MaxReferences = 64;

        private readonly Compilation compilation;
        private readonly NativeAllocations allocations;
        private readonly ConcurrentDictionary<IParameterSymbol, bool> cache = new ConcurrentDictionary<IParameterSymbol, bool>(SymbolEqualityComparer.Default);

        public SourceLenders(Compilation compilation, NativeAllocations allocations)
        {
            this.compilation = compilation;
            this.allocations = allocations;
        }

        /// <summary>Whether passing a value as <paramref name="parameter"/> (of a method of the compilation) only lends it.</summary>
        public bool IsLender(IParameterSymbol? parameter, CancellationToken cancellationToken)
        {
            if (parameter is null || !IsCandidate(parameter.OriginalDefinition))
            {
                return false;
            }

            // Each question is answered by its own walk (no partial answers of other walks), so the cache is order-free.
            return cache.GetOrAdd(parameter.OriginalDefinition, p => new Walk(this, cancellationToken).IsLender(p, 0));
        }

        private bool IsCandidate(IParameterSymbol parameter) =>
            parameter.RefKind == RefKind.None
            && allocations.IsHolderType(parameter.Type)
            && parameter.ContainingSymbol is IMethodSymbol
            {
                MethodKind: MethodKind.Ordinary or MethodKind.Constructor,
                IsVirtual: false,
                IsAbstract: false,
                IsOverride: false,
                IsExtern: false,
                IsAsync: false,
                DeclaringSyntaxReferences.Length: 1,
            } method
            && method.ContainingType?.TypeKind is TypeKind.Class or TypeKind.Struct;

        /// <summary>One question: a depth-first walk with its own answers and the parameters on the current chain.</summary>
        private sealed class Walk
        {
            private readonly SourceLenders owner;
            private readonly CancellationToken cancellationToken;
            private readonly Dictionary<IParameterSymbol, bool> answers = new Dictionary<IParameterSymbol, bool>(SymbolEqualityComparer.Default);
            private readonly HashSet<IParameterSymbol> onChain = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);

            public Walk(SourceLenders owner, CancellationToken cancellationToken)
            {
                this.owner = owner;
                this.cancellationToken = cancellationToken;
            }

            public bool IsLender(IParameterSymbol parameter, int depth)
            {
                if (answers.TryGetValue(parameter, out var known))
                {
                    return known;
                }

                if (onChain.Contains(parameter))
                {
                    // Recursion: passing it to itself lends when everything else the body does lends.
                    return true;
                }

                if (depth > MaxDepth || !owner.IsCandidate(parameter))
                {
                    return false;
                }

                onChain.Add(parameter);
                var lends = BodyOnlyLends(parameter, depth);
                onChain.Remove(parameter);
                answers[parameter] = lends;
                return lends;
            }

            private bool BodyOnlyLends(IParameterSymbol parameter, int depth)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var method = (IMethodSymbol)parameter.ContainingSymbol;
                var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                if (declaration is not BaseMethodDeclarationSyntax { Body: not null } and not BaseMethodDeclarationSyntax { ExpressionBody: not null }
                    || declaration.ContainsDiagnostics
                    || !owner.compilation.ContainsSyntaxTree(declaration.SyntaxTree)
                    || declaration.DescendantNodes().Any(n => n is YieldStatementSyntax))
                {
                    return false;
                }

#pragma warning disable RS1030 // The callee's tree belongs to this compilation; its body is read once per parameter and cached.
                var model = owner.compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
                var body = model.GetOperation(declaration, cancellationToken);
                if (body is null)
                {
                    return false;
                }

                var references = body.Descendants()
                    .OfType<IParameterReferenceOperation>()
                    .Where(r => SymbolEqualityComparer.Default.Equals(r.Parameter.OriginalDefinition, parameter))
                    .Take(MaxReferences + 1)
                    .ToList();
                if (references.Count > MaxReferences)
                {
                    return false;
                }

                var classifier = new ValueUseClassifier(owner.allocations, callee => IsLender(callee.OriginalDefinition, depth + 1));
                foreach (var reference in references)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (IsCaptured(reference, body) || classifier.Classify(reference, null, out _, out _) is not (ValueUse.None or ValueUse.Lend))
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>A lambda or local function that uses the parameter may run after the call: the value is kept.</summary>
            private static bool IsCaptured(IOperation reference, IOperation body)
            {
                for (var current = reference.Parent; current != null && current != body; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
