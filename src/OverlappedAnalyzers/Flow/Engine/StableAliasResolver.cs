using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// <see cref="ReceiverResolver"/> for questions about a value at a point of the path ("is this the pointer that was
    /// freed?"): a copy (<c>var q = p;</c>) stands for its source only while the source is never written again in the
    /// graph. <c>var q = p; p = Alloc(); Free(q); Use(p);</c> would otherwise make the new block look freed.
    /// </summary>
    internal sealed class StableAliasResolver
    {
        private readonly ReceiverResolver resolver;
        private readonly HashSet<ISymbol> rewritten = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        public StableAliasResolver(ControlFlowGraph graph, CaptureMap captures)
        {
            resolver = new ReceiverResolver(graph, captures);
            var writes = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            foreach (var block in graph.Blocks)
            {
                foreach (var root in block.Operations)
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        var target = operation switch
                        {
                            IAssignmentOperation assignment => assignment.Target,
                            IIncrementOrDecrementOperation increment => increment.Target,
                            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byRef => byRef.Value,
                            _ => null,
                        };
                        var symbol = SymbolOf(target);
                        if (symbol != null)
                        {
                            writes.TryGetValue(symbol, out var count);
                            writes[symbol] = count + 1;
                        }
                    }
                }
            }

            foreach (var pair in writes)
            {
                // A local's declaration is its first write; a parameter or field arrives already written.
                if (pair.Value > 1 || pair.Key is not ILocalSymbol)
                {
                    rewritten.Add(pair.Key);
                }
            }
        }

        public CaptureMap Captures => resolver.Captures;

        public IOperation? Unwrap(IOperation? operation) => resolver.Unwrap(operation);

        public ReceiverKey? Resolve(IOperation? operation)
        {
            var key = resolver.Resolve(operation);
            if (key != null && resolver.Unwrap(operation) is ILocalReferenceOperation local && !SymbolEqualityComparer.Default.Equals(key.Symbol, local.Local)
                && rewritten.Contains(key.Symbol))
            {
                return ReceiverKey.ForVariable(local.Local);
            }

            return key;
        }

        private ISymbol? SymbolOf(IOperation? target) => resolver.Unwrap(target) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
    }
}
