namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>How a path leaves the method (RULES.md "Exit").</summary>
    internal enum ExitKind
    {
        Throw,
        Return,

        /// <summary>Falls off the end of the method (or a void <c>return;</c>, which lowering makes identical).</summary>
        EndOfBranch,

        DoesNotReturnCall,
    }
}
