using System;
using System.Collections.Generic;
using System.Linq;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// The targets of issue 15 on the dense corpora (dense-200, dense-lib): OVL analyzer time ≤ 1/10 of CA2000+CA2213's and
    /// ≤ 5% of compile; allocation per analyzed method ≤ 1/10 of CA2000+CA2213's. Each verdict prints the per-analyzer split
    /// (driver telemetry of the combined run) so a miss names its analyzer.
    /// </summary>
    internal static class DenseTargets
    {
        public static readonly string[] Roles = { "dense-200", "dense-lib" };

        public static IEnumerable<(string Target, string Measured, string Verdict)> Judge(IReadOnlyList<CorpusResult> results)
        {
            foreach (var role in Roles)
            {
                var r = results.FirstOrDefault(x => x.Corpus.Role == role);
                if (r is null || !r.Has("ovl"))
                {
                    continue;
                }

                double ours = r.AnalyzerMs("ovl");
                double compile = r.Compile();
                string split = PerAnalyzer(r);
                string name = r.Corpus.Name;
                if (r.Has("ca"))
                {
                    double ca = r.AnalyzerMs("ca");
                    yield return ($"dense ({name}): OVL time ≤ CA2000+CA2213 time / 10",
                        $"analyzer time OVL {Report.F(ours, "F1")} ms ({split}) vs CA2000+CA2213 {Report.F(ca, "F1")} ms = 1/{Report.F(ca / ours, "F1")}; analysis wall over floor OVL {Report.F(r.AnalysisOverFloor("ovl"), "F0")} ms vs CA {Report.F(r.AnalysisOverFloor("ca"), "F0")} ms{Spread(r, "ovl")}",
                        Report.Verdict(ours <= ca / 10));
                }
                else
                {
                    yield return ($"dense ({name}): OVL time ≤ CA2000+CA2213 time / 10", "not measured (ca not run)", Report.Verdict(null));
                }

                yield return ($"dense ({name}): OVL time ≤ 5% of compile",
                    $"analyzer time {Report.F(ours, "F1")} ms = {Report.Pct(ours / compile)} of compile {Report.F(compile, "F0")} ms; analysis wall over floor {Report.Pct(r.AnalysisOverFloor("ovl") / compile)}",
                    Report.Verdict(ours <= compile * 0.05));

                double perMethod = r.AllocPerMethodOverFloor("ovl");
                double? caAlloc = r.Has("ca") ? r.AllocPerMethodOverFloor("ca") : null;
                yield return ($"dense ({name}): OVL allocation per analyzed method ≤ CA2000+CA2213's / 10",
                    $"{Report.F(perMethod, "F0")} B/method over {Report.BaselineName(r.BaselineKey("ovl"))}{AllocPerAnalyzer(r)}{Report.Others(r)}",
                    Report.Verdict(caAlloc is null ? null : perMethod <= caAlloc.Value / 10));
            }
        }

        /// <summary>Median telemetry per analyzer type in the combined run.</summary>
        private static string PerAnalyzer(CorpusResult r)
        {
            var runs = r.Runs["ovl"];
            return string.Join(", ", runs[0].AnalyzerMsByType.Keys
                .Select(k => (k, ms: Report.Median(runs.Select(x => x.AnalyzerMsByType.TryGetValue(k, out double v) ? v : 0))))
                .OrderByDescending(x => x.ms).ThenBy(x => x.k, StringComparer.Ordinal)
                .Select(x => $"{x.k} {Report.F(x.ms, "F1")}"));
        }

        /// <summary>Allocation of each analyzer run alone (the ovl-each configurations), when they ran.</summary>
        private static string AllocPerAnalyzer(CorpusResult r)
        {
            var alone = r.Configurations.Where(c => c.Key.StartsWith("ovl:", StringComparison.Ordinal) && r.Has(c.Key)).ToList();
            if (alone.Count == 0)
            {
                return string.Empty;
            }

            return "; alone: " + string.Join(", ", alone.Select(c => $"{c.Key.Substring(4)} {Report.F(r.AllocPerMethodOverFloor(c.Key), "F0")} B ({Report.F(r.AnalyzerMs(c.Key), "F1")} ms)"));
        }

        /// <summary>Min–max of the OVL analyzer time over the repetitions: the dense rows are small numbers.</summary>
        private static string Spread(CorpusResult r, string key)
        {
            var values = r.Runs[key].Select(x => x.AnalyzerMs).ToList();
            return values.Count < 2 ? string.Empty : $"; OVL over {values.Count} reps {Report.F(values.Min(), "F1")}–{Report.F(values.Max(), "F1")} ms";
        }
    }
}
