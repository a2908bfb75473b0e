using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// A branch on a constant (<c>while (true)</c>, <c>if (false)</c>) has one successor the program can never take.
    /// Roslyn keeps that edge in the graph, so a dataflow that follows it would see <c>while (true)</c> fall out to
    /// the end of the method and report a path that does not exist.
    /// </summary>
    internal static class ConstantBranches
    {
        public static bool IsNeverTaken(BasicBlock block, ControlFlowBranch? branch)
        {
            if (branch is null || block.ConditionalSuccessor is null || block.BranchValue?.ConstantValue is not { HasValue: true, Value: bool value })
            {
                return false;
            }

            var conditionalTaken = value == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
            return ReferenceEquals(branch, block.ConditionalSuccessor) ? !conditionalTaken : conditionalTaken;
        }
    }
}
