using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Analyzer options that carry a <see cref="WorkMeter"/>: a test host passes them to
    /// CompilationWithAnalyzers to count the engine's work in that one run. Editors and builds never do.
    /// </summary>
    internal sealed class MeteredAnalyzerOptions : AnalyzerOptions
    {
        public MeteredAnalyzerOptions(ImmutableArray<AdditionalText> additionalFiles, WorkMeter meter)
            : base(additionalFiles)
        {
            Meter = meter;
        }

        public WorkMeter Meter { get; }
    }
}
