namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>One document of a run: a path (for locations and reports) and its text.</summary>
    internal sealed record SourceFile(string Path, string Text);
}
