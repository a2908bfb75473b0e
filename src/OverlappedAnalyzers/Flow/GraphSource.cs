using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow
{
    /// <summary>
    /// Control-flow graphs for a code block: the body's own, then those of its local functions and lambdas
    /// (each has its own exits). Built only for blocks that passed the text gate, so the analyzers never
    /// bind methods that cannot contain their pattern. Half-typed code yields no graph: no diagnostics.
    /// </summary>
    internal static class GraphSource
    {
        private const int MaxNesting = 16;

        public static IEnumerable<ControlFlowGraph> ForCodeBlock(SemanticModel model, SyntaxNode codeBlock, CancellationToken cancellationToken)
        {
            if (codeBlock.ContainsDiagnostics)
            {
                yield break;
            }

            var operation = model.GetOperation(codeBlock, cancellationToken);
            ControlFlowGraph? root = operation switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
                IBlockOperation { Parent: null } block => ControlFlowGraph.Create(block, cancellationToken),
                _ => null,
            };

            if (root is null || HasInvalidCode(operation!))
            {
                yield break;
            }

            var pending = new Stack<(ControlFlowGraph Graph, int Depth)>();
            pending.Push((root, 0));
            while (pending.Count > 0)
            {
                var (graph, depth) = pending.Pop();
                yield return graph;
                if (depth >= MaxNesting)
                {
                    continue;
                }

                foreach (var localFunction in graph.LocalFunctions)
                {
                    pending.Push((graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), depth + 1));
                }

                foreach (var block in graph.Blocks)
                {
                    foreach (var nested in OperationWalker.PostOrder(block))
                    {
                        if (nested is IFlowAnonymousFunctionOperation lambda)
                        {
                            pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), depth + 1));
                        }
                    }
                }
            }
        }

        private static bool HasInvalidCode(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is IInvalidOperation || operation.Type?.TypeKind == TypeKind.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
