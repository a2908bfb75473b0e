using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
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
            var root = TryCreate(() => operation switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
                IBlockOperation { Parent: null } block => ControlFlowGraph.Create(block, cancellationToken),
                _ => null,
            });

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
                    if (TryCreate(() => graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken)) is { } localGraph)
                    {
                        pending.Push((localGraph, depth + 1));
                    }
                }

                foreach (var block in graph.Blocks)
                {
                    foreach (var nested in EvaluationOrder.PostOrder(block))
                    {
                        if (nested is IFlowAnonymousFunctionOperation lambda
                            && TryCreate(() => graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken)) is { } lambdaGraph)
                        {
                            pending.Push((lambdaGraph, depth + 1));
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Roslyn's graph builder recurses on short-circuit chains and gives up on very deep ones (a 10,000-term
        /// <c>&amp;&amp;</c> condition) with InsufficientExecutionStackException: no graph, so no diagnostics, not AD0001.
        /// </summary>
        private static ControlFlowGraph? TryCreate(Func<ControlFlowGraph?> create)
        {
            try
            {
                return create();
            }
            catch (InsufficientExecutionStackException)
            {
                return null;
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
