using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>What one run of every analyzer (and optionally every code fix) produced.</summary>
    internal sealed class AnalysisResult
    {
        public AnalysisResult(ImmutableArray<Diagnostic> diagnostics, ImmutableArray<string> analyzerExceptions, ImmutableArray<string> fixFailures, int fixesApplied, IReadOnlyList<GraphWork> work)
        {
            Work = work;
            Diagnostics = diagnostics;
            AnalyzerExceptions = analyzerExceptions;
            FixFailures = fixFailures;
            FixesApplied = fixesApplied;
        }

        /// <summary>The analyzers' diagnostics (AD0001 included, if any analyzer threw), in the driver's order.</summary>
        public ImmutableArray<Diagnostic> Diagnostics { get; }

        /// <summary>Exceptions reported through onAnalyzerException, plus any AD0001 diagnostic.</summary>
        public ImmutableArray<string> AnalyzerExceptions { get; }

        /// <summary>Code fixes that threw, or whose output has more syntax errors than their input.</summary>
        public ImmutableArray<string> FixFailures { get; }

        public int FixesApplied { get; }

        /// <summary>What the path engine's solvers did, graph by graph (the analyzers' run only, not the fixes').</summary>
        public IReadOnlyList<GraphWork> Work { get; }

        public bool IsClean => AnalyzerExceptions.IsEmpty && FixFailures.IsEmpty;

        /// <summary>OVL diagnostics only (rule diagnostics, not analyzer-exception reports).</summary>
        public IEnumerable<Diagnostic> RuleDiagnostics => Diagnostics.Where(d => d.Id.StartsWith("OVL", System.StringComparison.Ordinal));

        /// <summary>id, file, span and message: what determinism compares.</summary>
        public static string Key(Diagnostic diagnostic)
        {
            var span = diagnostic.Location.GetLineSpan();
            return $"{diagnostic.Id} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}) {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        public string Describe() =>
            string.Join("\n", AnalyzerExceptions.Concat(FixFailures));
    }
}
