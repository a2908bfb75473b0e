using System.Collections.Immutable;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Where an exception raised in a block goes: through the finally regions it leaves on the way (in order), into
    /// the handlers of the innermost try that may catch it — or, when none may, out of the method.
    /// </summary>
    internal readonly struct ExceptionRoute
    {
        public ExceptionRoute(ImmutableArray<ControlFlowRegion> finallyRegions, ImmutableArray<ControlFlowRegion> handlers)
        {
            FinallyRegions = finallyRegions;
            Handlers = handlers;
        }

        public ImmutableArray<ControlFlowRegion> FinallyRegions { get; }

        /// <summary>Empty when the exception leaves the method.</summary>
        public ImmutableArray<ControlFlowRegion> Handlers { get; }

        public bool LeavesMethod => Handlers.IsEmpty;
    }
}
