using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// <c>--verdicts FILE</c>: every diagnostic our analyzers report on the named corpora, one line each with its id,
    /// location, message, additional locations and properties, sorted. A performance change must leave this file
    /// byte-identical: diff the file of the change against the one of its base.
    /// </summary>
    internal static class VerdictDump
    {
        public static async Task<string> RunAsync(IEnumerable<Corpus> corpora, AnalyzerSet ours)
        {
            var lines = new List<string>();
            foreach (var corpus in corpora)
            {
                var compilation = Runner.NewCompilation(corpus, null);
                var withAnalyzers = compilation.WithAnalyzers(
                    ours.Analyzers,
                    new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
                var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
                lines.AddRange(diagnostics.Select(d => corpus.Name + " " + Describe(d)));
            }

            lines.Sort(StringComparer.Ordinal);
            var text = new StringBuilder();
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }

        private static string Describe(Diagnostic diagnostic)
        {
            var properties = string.Join(";", diagnostic.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
            var additional = string.Join(";", diagnostic.AdditionalLocations.Select(Where));
            return $"{diagnostic.Id} {Where(diagnostic.Location)} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} | {additional} | {properties}";
        }

        private static string Where(Location location)
        {
            var span = location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
        }
    }
}
