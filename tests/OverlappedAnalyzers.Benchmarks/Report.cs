using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace OverlappedAnalyzers.Benchmarks
{
    internal sealed class CorpusResult
    {
        public CorpusResult(Corpus corpus, IReadOnlyList<Configuration> configurations, IReadOnlyDictionary<string, List<RunResult>> runs)
        {
            Corpus = corpus;
            Configurations = configurations;
            Runs = runs;
        }

        public Corpus Corpus { get; }
        public IReadOnlyList<Configuration> Configurations { get; }
        public IReadOnlyDictionary<string, List<RunResult>> Runs { get; }

        public bool Has(string key) => Runs.ContainsKey(key) && Runs[key].Count > 0;

        /// <summary>Median compile-phase time over every run of the corpus (each configuration compiles first).</summary>
        public double Compile() => Report.Median(Runs.Values.SelectMany(r => r).Select(r => r.CompileMs));

        public double Compile(string key) => Report.Median(Runs[key].Select(r => r.CompileMs));

        public double Analysis(string key) => Report.Median(Runs[key].Select(r => r.AnalysisMs));

        /// <summary>Analysis-phase wall time above the set's baseline (<see cref="BaselineKey"/>).</summary>
        public double AnalysisOverFloor(string key) => Analysis(key) - (BaselineKey(key) is { } baseline ? Analysis(baseline) : 0);

        /// <summary>
        /// What a set's cost is measured over. A set that raised compilation events paid the no-op driver floor
        /// (every body bound); a set whose compilation-start fast path registered nothing never did — its analysis
        /// takes a small fraction of the floor's — so its baseline is the empty driver, or nothing.
        /// </summary>
        public string? BaselineKey(string key)
        {
            if (key.StartsWith("driver", StringComparison.Ordinal))
            {
                return null;
            }

            if (Has("driver") && Analysis(key) >= Analysis("driver") / 2)
            {
                return "driver";
            }

            return Has("driver-empty") ? "driver-empty" : null;
        }

        public double AnalyzerMs(string key) => Report.Median(Runs[key].Select(r => r.AnalyzerMs));

        public double Alloc(string key) => Report.Median(Runs[key].Select(r => (double)r.AnalysisAllocatedBytes));

        /// <summary>Analysis-phase bytes per method body above the set's baseline (<see cref="BaselineKey"/>).</summary>
        public double AllocPerMethodOverFloor(string key) => (Alloc(key) - (BaselineKey(key) is { } baseline ? Alloc(baseline) : 0)) / Corpus.Methods;

        /// <summary>Median execution time of the analyzers in <paramref name="key"/> that own rule <paramref name="id"/>.</summary>
        public double RuleMs(string key, string id)
        {
            var set = Configurations.First(c => c.Key == key).Analyzers!;
            var owners = set.Analyzers.Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).Select(a => a.GetType().Name).Distinct().ToList();
            return Report.Median(Runs[key].Select(r => owners.Sum(o => r.AnalyzerMsByType.TryGetValue(o, out double ms) ? ms : 0)));
        }

        /// <summary>Relative spread (max-min)/median of the compile phase over all runs: the noise of a whole-build wall clock.</summary>
        public double CompileSpread()
        {
            var w = Runs.Values.SelectMany(r => r).Select(r => r.CompileMs).ToList();
            return w.Count < 2 ? double.NaN : (w.Max() - w.Min()) / Report.Median(w);
        }
    }

    internal static class Report
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static double Median(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            if (sorted.Count == 0)
            {
                return double.NaN;
            }

            int mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        internal static string F(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, Inv);

        internal static string Others(CorpusResult r)
        {
            string others = string.Join(", ", new[] { ("ca", "CA2000+CA2213"), ("idisp", "IDisposableAnalyzers") }
                .Where(x => r.Has(x.Item1)).Select(x => $"{x.Item2} {F(r.AllocPerMethodOverFloor(x.Item1), "F0")} B"));
            return others.Length > 0 ? " (" + others + ")" : string.Empty;
        }

        internal static string BaselineName(string? key) => key switch
        {
            "driver" => "the no-op driver floor",
            "driver-empty" => "the empty driver (the set registered nothing)",
            _ => "nothing",
        };

        internal static string Pct(double ratio) => double.IsNaN(ratio) ? "n/a" : (ratio * 100).ToString("+0.0;-0.0;0.0", Inv) + "%";

        public static string Build(IReadOnlyList<CorpusResult> results, string machine, Options options, TimeSpan elapsed)
        {
            var sb = new StringBuilder();
            sb.AppendLine("## Measured");
            sb.AppendLine();
            sb.AppendLine(machine);
            sb.AppendLine($"- command: `dotnet run -c Release --project tests/OverlappedAnalyzers.Benchmarks{(options.Args.Count > 0 ? " -- " + string.Join(" ", options.Args) : string.Empty)}` (seed {options.Seed}; whole run {elapsed.TotalMinutes.ToString("F1", Inv)} min)");
            sb.AppendLine();
            sb.AppendLine("Medians over the repetitions. Every run compiles a fresh compilation (*compile*: `GetDiagnostics()`), then analyzes it with one analyzer set through `CompilationWithAnalyzers.GetAnalysisResultAsync` (*analysis*: wall clock of that phase alone; concurrent analysis, 2 cores). *analyzer ms*: the driver's logged execution time of the set's analyzers (callback time, summed over threads: it can exceed wall time; it leaves out driver work done on their behalf, such as binding bodies and building IOperation trees, which shows in *analysis* wall time). *driver floor*: a no-op symbol action — any analyzer with symbol, syntax or operation actions makes the driver raise compilation events, which binds every body of its compilation; a command-line build gets those from its own compile, and the SDK's default analyzers always need them, so *over floor* figures subtract this run — except for a set whose compilation-start fast path registered nothing (its analysis takes under half the floor's): that set never raised the events, and its figures subtract *driver, empty* instead. *driver, empty*: a compilation-start action that registers nothing (what a compilation without the tracked types should cost). *alloc*: bytes the process allocated during the analysis phase; *per method*: that minus the same baseline, divided by the corpus's method bodies. *ratio* columns divide by the corpus's median compile time.");
            sb.AppendLine();
            sb.AppendLine("| corpus | files | lines | methods | configuration | reps | compile ms | analysis ms | analysis / compile | analyzer ms | analyzer / compile | alloc MiB | alloc/method over floor (driver rows: raw) | slowest analyzers (ms) | warnings |");
            sb.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var r in results)
            {
                var c = r.Corpus;
                double compile = r.Compile();
                foreach (var configuration in r.Configurations)
                {
                    string key = configuration.Key;
                    var runs = r.Runs[key];
                    bool analyzed = configuration.Analyzers != null;
                    string perAnalyzer = !analyzed || key.StartsWith("driver", StringComparison.Ordinal) ? string.Empty : string.Join(", ", runs[0].AnalyzerMsByType.Keys
                        .Select(k => new { k, ms = Median(runs.Select(x => x.AnalyzerMsByType.TryGetValue(k, out double v) ? v : 0)) })
                        .OrderByDescending(x => x.ms).ThenBy(x => x.k, StringComparer.Ordinal).Take(3).Select(x => $"{x.k} {x.ms.ToString("F1", Inv)}"));
                    string warnings = string.Join(", ", runs[0].DiagnosticsById.Where(kv => !kv.Key.StartsWith("CS", StringComparison.Ordinal))
                        .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}×{kv.Value}"));
                    if (runs.Any(x => x.AnalyzerExceptions > 0))
                    {
                        warnings += $" **{runs.Max(x => x.AnalyzerExceptions)} analyzer exception(s)**";
                    }

                    string compileCell = key == "compile"
                        ? F(compile, "F0") + (double.IsNaN(r.CompileSpread()) ? string.Empty : " (±" + F(r.CompileSpread() * 50, "F1") + "%)")
                        : F(r.Compile(key), "F0");
                    sb.Append("| ").Append(c.Name).Append(" | ").Append(c.Files).Append(" | ").Append(c.Lines).Append(" | ").Append(c.Methods)
                        .Append(" | ").Append(configuration.Label).Append(" | ").Append(runs.Count)
                        .Append(" | ").Append(compileCell)
                        .Append(" | ").Append(analyzed ? F(r.Analysis(key), "F0") : "—")
                        .Append(" | ").Append(analyzed ? Pct(r.Analysis(key) / compile) : "—")
                        .Append(" | ").Append(analyzed ? F(r.AnalyzerMs(key), "F1") : "—")
                        .Append(" | ").Append(analyzed ? Pct(r.AnalyzerMs(key) / compile) : "—")
                        .Append(" | ").Append(analyzed ? F(r.Alloc(key) / 1048576.0, "F1") : "—")
                        .Append(" | ").Append(analyzed ? F(r.AllocPerMethodOverFloor(key), "F0") + " B" : "—")
                        .Append(" | ").Append(perAnalyzer)
                        .Append(" | ").Append(warnings)
                        .AppendLine(" |");
                }
            }

            sb.AppendLine();
            sb.AppendLine("## Targets");
            sb.AppendLine();
            sb.AppendLine("| target | measured | verdict |");
            sb.AppendLine("|---|---|---|");
            foreach (var (target, measured, verdict) in Targets(results))
            {
                sb.Append("| ").Append(target).Append(" | ").Append(measured).Append(" | ").Append(verdict).AppendLine(" |");
            }

            return sb.ToString();
        }

        internal static string Verdict(bool? pass) => pass switch { true => "**pass**", false => "**MISS**", null => "n/a" };

        private static IEnumerable<(string Target, string Measured, string Verdict)> Targets(IReadOnlyList<CorpusResult> results)
        {
            CorpusResult? Find(string role) => results.FirstOrDefault(r => r.Corpus.Role == role);
            const string notRun = "not measured (corpus or configuration not run)";

            // 1. No overlapped code: our analyzers add under 1% to compile time.
            const string t1 = "no overlapped code (none-2k; none-500 in --quick): OVL adds < 1% to compile time";
            var none = Find("none-2k");
            if (none != null && none.Has("ovl"))
            {
                double compile = none.Compile();
                double telemetry = none.AnalyzerMs("ovl") / compile;
                double wall = none.AnalysisOverFloor("ovl") / compile;
                yield return (t1,
                    $"analyzer time {Pct(telemetry)} ({F(none.AnalyzerMs("ovl"), "F1")} ms); analysis wall over {BaselineName(none.BaselineKey("ovl"))} {Pct(wall)} ({F(none.AnalysisOverFloor("ovl"), "F0")} ms) of compile {F(compile, "F0")} ms",
                    Verdict(telemetry < 0.01 && wall < 0.01));
            }
            else
            {
                yield return (t1, notRun, Verdict(null));
            }

            // 2. 1% overlapped: our analyzer time at most a tenth of CA2000's.
            const string t2 = "1% overlapped (ovl-2k; ovl-500 in --quick): OVL time ≤ CA2000 time / 10";
            var ovl = Find("ovl-2k");
            if (ovl != null && ovl.Has("ovl") && ovl.Has("ca"))
            {
                double ours = ovl.AnalyzerMs("ovl");
                double ca2000 = ovl.RuleMs("ca", "CA2000");
                yield return (t2,
                    $"analyzer time OVL {F(ours, "F1")} ms vs CA2000 {F(ca2000, "F1")} ms = 1/{F(ca2000 / ours, "F0")}; analysis wall over floor OVL {F(ovl.AnalysisOverFloor("ovl"), "F0")} ms vs CA2000+CA2213 {F(ovl.AnalysisOverFloor("ca"), "F0")} ms",
                    Verdict(ours <= ca2000 / 10));
            }
            else
            {
                yield return (t2, notRun, Verdict(null));
            }

            // 3. Scaling: 20,000 files cost 10× ±20% of 2,000 files.
            const string t3 = "scaling (ovl-2k → ovl-20k): OVL time ×10 ±20% (8×–12×)";
            var big = Find("ovl-20k");
            if (ovl != null && big != null && ovl.Has("ovl") && big.Has("ovl"))
            {
                double ratio = big.AnalyzerMs("ovl") / ovl.AnalyzerMs("ovl");
                double wallRatio = big.AnalysisOverFloor("ovl") / ovl.AnalysisOverFloor("ovl");
                var small = Find("ovl-200");
                string smallText = small != null && small.Has("ovl") ? $"; 200 → 2,000 files: {F(ovl.AnalyzerMs("ovl") / small.AnalyzerMs("ovl"), "F1")}×" : string.Empty;
                yield return (t3,
                    $"analyzer time {F(ovl.AnalyzerMs("ovl"), "F1")} → {F(big.AnalyzerMs("ovl"), "F1")} ms = {F(ratio, "F2")}×{smallText}; analysis wall over floor {F(wallRatio, "F2")}×; compile alone {F(big.Compile() / ovl.Compile(), "F2")}×",
                    Verdict(ratio >= 8 && ratio <= 12));
            }
            else
            {
                yield return (t3, notRun, Verdict(null));
            }

            // 4. Giant method: per-line cost within 2× of the same code in ordinary-sized methods.
            const string t4 = "giant method: OVL cost per line ≤ 2× that of the same segments as 200 ordinary methods";
            var giant = Find("giant-method");
            var split = Find("giant-split");
            if (giant != null && split != null && giant.Has("ovl") && split.Has("ovl"))
            {
                double perLineGiant = giant.AnalyzerMs("ovl") / giant.Corpus.Lines;
                double perLineSplit = split.AnalyzerMs("ovl") / split.Corpus.Lines;
                double wallGiant = giant.AnalysisOverFloor("ovl") / giant.Corpus.Lines;
                double wallSplit = split.AnalysisOverFloor("ovl") / split.Corpus.Lines;
                string ordinary = ovl != null && ovl.Has("ovl") ? $"; ovl-2k as a whole: {F(ovl.AnalyzerMs("ovl") / ovl.Corpus.Lines * 1e6, "F0")} ns/line" : string.Empty;
                yield return (t4,
                    $"analyzer time {F(perLineGiant * 1e6, "F0")} vs {F(perLineSplit * 1e6, "F0")} ns/line = {F(perLineGiant / perLineSplit, "F2")}×; analysis wall over floor {F(wallGiant / wallSplit, "F2")}×{ordinary}",
                    Verdict(perLineGiant <= 2 * perLineSplit));
            }
            else
            {
                yield return (t4, notRun, Verdict(null));
            }

            // 5. Allocations per analyzed method over the set's baseline (the floor, or the empty driver when it registered nothing).
            //    Without overlapped code the fast path must allocate next to nothing; with it, the bar is the one of time:
            //    a tenth of what CA2000+CA2213 allocate on the same corpus.
            if (none != null && none.Has("ovl"))
            {
                double perMethod = none.AllocPerMethodOverFloor("ovl");
                yield return ($"allocations ({none.Corpus.Name}): OVL ≤ 1 KiB per analyzed method over its driver baseline",
                    $"{F(perMethod, "F0")} B/method over {BaselineName(none.BaselineKey("ovl"))}{Others(none)}",
                    Verdict(perMethod <= 1024));
            }

            if (ovl != null && ovl.Has("ovl"))
            {
                double perMethod = ovl.AllocPerMethodOverFloor("ovl");
                double? ca = ovl.Has("ca") ? ovl.AllocPerMethodOverFloor("ca") : null;
                yield return ($"allocations ({ovl.Corpus.Name}): OVL ≤ CA2000+CA2213's per analyzed method / 10",
                    $"{F(perMethod, "F0")} B/method over {BaselineName(ovl.BaselineKey("ovl"))}{Others(ovl)}",
                    Verdict(ca is null ? null : perMethod <= ca.Value / 10));
            }

            // 6. Dense code (issue 15): where every file is IOCP code.
            foreach (var target in DenseTargets.Judge(results))
            {
                yield return target;
            }
        }
    }
}
