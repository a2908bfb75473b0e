using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Visits operations in evaluation order (operands before the operation that uses them) without
    /// recursion, so a 10,000-term expression cannot overflow the stack.
    /// </summary>
    /// <remarks>
    /// Every rule walks every block of every graph it builds this way, so the walk's own allocations were the
    /// largest garbage source of the analyzers on dense code (a fresh stack per statement, grown from empty).
    /// The walk now borrows one stack per thread and gives it back when the enumeration ends; a walk nested in
    /// another on the same thread finds the slot empty and uses a stack of its own.
    /// </remarks>
    internal static class EvaluationOrder
    {
        private const int InitialDepth = 32;

        [System.ThreadStatic]
        private static Stack<(IOperation Operation, bool Expanded)>? spare;

        public static IEnumerable<IOperation> PostOrder(IOperation root) => Walk(root, null);

        /// <summary>Every operation of a basic block in evaluation order, its branch value last.</summary>
        public static IEnumerable<IOperation> PostOrder(BasicBlock block) => Walk(null, block);

        /// <summary>The post-order walk of <paramref name="root"/>, or of each root of <paramref name="block"/> in turn, on one stack.</summary>
        private static IEnumerable<IOperation> Walk(IOperation? root, BasicBlock? block)
        {
            var roots = block is null ? 1 : block.Operations.Length + (block.BranchValue is null ? 0 : 1);
            var stack = Rent();
            try
            {
                for (var index = 0; index < roots; index++)
                {
                    stack.Push((block is null ? root! : index < block.Operations.Length ? block.Operations[index] : block.BranchValue!, false));
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
            }
            finally
            {
                Return(stack);
            }
        }

        private static Stack<(IOperation Operation, bool Expanded)> Rent()
        {
            var stack = spare;
            spare = null;
            return stack ?? new Stack<(IOperation Operation, bool Expanded)>(InitialDepth);
        }

        /// <summary>An abandoned walk (a caller's <c>break</c>) leaves entries behind: clear them, so no operation tree is kept alive.</summary>
        private static void Return(Stack<(IOperation Operation, bool Expanded)> stack)
        {
            stack.Clear();
            spare = stack;
        }
    }
}
