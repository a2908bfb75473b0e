using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Visits operations in evaluation order (operands before the operation that uses them) without
    /// recursion, so a 10,000-term expression cannot overflow the stack.
    /// </summary>
    internal static class EvaluationOrder
    {
        public static IEnumerable<IOperation> PostOrder(IOperation root)
        {
            var stack = new Stack<(IOperation Operation, bool Expanded)>();
            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (operation, expanded) = stack.Pop();
                if (expanded || operation is IFlowAnonymousFunctionOperation)
                {
                    yield return operation;
                    continue;
                }

                stack.Push((operation, true));
                foreach (var child in operation.ChildOperations.Reverse())
                {
                    stack.Push((child, false));
                }
            }
        }

        /// <summary>Every operation of a basic block in evaluation order, its branch value last.</summary>
        public static IEnumerable<IOperation> PostOrder(BasicBlock block)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var visited in PostOrder(operation))
                {
                    yield return visited;
                }
            }

            if (block.BranchValue != null)
            {
                foreach (var visited in PostOrder(block.BranchValue))
                {
                    yield return visited;
                }
            }
        }
    }
}
