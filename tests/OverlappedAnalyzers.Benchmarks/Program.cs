using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Benchmarks
{
    internal static class Program
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        private const string Usage = @"OverlappedAnalyzers benchmark: compile time with our analyzers vs CA2000/CA2213 and IDisposableAnalyzers.

  dotnet run -c Release --project tests/OverlappedAnalyzers.Benchmarks -- [options]

  --quick               smoke run (about a minute on an idle machine): none-2k and ovl-2k shrunk to 500 files, giant, dense-lib;
                        1 repetition; compile, driver-empty, driver, ovl, ca only
  --corpus a,b,...      corpora to run: none-2k, ovl-2k, ovl-200, ovl-20k, giant, dense-200, dense-lib (default: all)
                        dense-200: 200 generated files, all IOCP code; dense-lib: the hand-written DenseLibrary/ socket library
  --configs a,b,...     configurations: compile, driver-empty, driver, ovl, ca, idisp, probe-naive, probe-opgate, probe-syntaxgate,
                        only when named: ovl-each (each OVL analyzer type alone), shape-codeblock, shape-symbolstart,
                        shape-semanticmodel (a no-op callback in each registration shape: the driver's own cost)
                        (default: all on none-2k/ovl-2k; ovl-200/ovl-20k run compile, driver, ovl, ca; giant runs no probes;
                        dense-200/dense-lib run compile, driver-empty, driver, ovl, ca, idisp and ovl-each)
  --reps N              timed repetitions per corpus and configuration (default 5; ovl-20k: 3; dense-lib: 11)
  --seed N              corpus generator seed (default 7)
  --warmup-files N      size of the warm-up corpus run twice through every configuration before timing (default 300;
                        on a loaded machine a smaller one, e.g. 60, still JITs every path)
  --ovl-assembly PATH   measure this OverlappedAnalyzers.dll instead of the one built with the benchmark
  --out FILE            also write the markdown report to FILE
  --dump DIR            write the generated corpora to DIR (for inspection) and continue
  --phases              instead of the run: OVL001/002/006's pipeline on the giant corpora, phase by phase
                        (bind, CFG, effects, path), --reps rounds (default 12) after 3 warm-up rounds; with --corpus naming
                        dense-200/dense-lib, on those (default 5 rounds), plus the per-type rules: each analyzer alone
                        through CompilationWithAnalyzers, and the binding/ControlFlowGraph.Create work their gates admit
  --verdicts FILE       instead of the run: write every OVL diagnostic (id, location, message, additional locations,
                        properties) of ovl-200, giant, dense-200 and dense-lib (or of --corpus) to FILE, sorted: a
                        performance change must leave it byte-identical
  --latency             instead of the run: keystroke latency — one document's semantic diagnostics after an edit, compiler
                        vs no-op analyzer vs OVL (and each OVL analyzer alone), whole document and one member's span, on a
                        generated 2,000-line IOCP file and DenseLibrary's AsyncSocket.cs; --reps measurements (default 15)
                        after 3 warm-up rounds
  --textgate            instead of the run: the compilation-start text scan alone (the whole cost on code without overlapped
                        I/O), each rule's gate list over the texts of --corpus (default none-2k), --reps rounds (default 30)
                        after a 1 s warm-up; per text its fastest round, summed
";

        private static async Task<int> Main(string[] args)
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            if (options.Help)
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (options.Latency)
            {
                string latency = await KeystrokeLatency.RunAsync(AnalyzerSets.Ours(options.OvlAssembly), options.Reps ?? 15, options.Seed).ConfigureAwait(false);
                Console.WriteLine(latency);
                if (options.Out != null)
                {
                    File.WriteAllText(options.Out, latency);
                }

                return 0;
            }

            if (options.Verdicts != null)
            {
                // Default: every corpus with overlapped code that builds in seconds; --corpus narrows or widens it.
                var names = options.CorporaExplicit ? options.Corpora : new[] { "ovl-200", "giant", "dense-200", "dense-lib" };
                var corpora = names.SelectMany(n => BuildCorpus(n, options.Seed, quick: false)).ToList();
                string verdicts = await VerdictDump.RunAsync(corpora, AnalyzerSets.Ours(options.OvlAssembly)).ConfigureAwait(false);
                File.WriteAllText(options.Verdicts, verdicts);
                Console.WriteLine($"{verdicts.Count(c => c == '\n')} diagnostics written to {options.Verdicts}");
                return 0;
            }

            if (options.TextGate)
            {
                var corpora = (options.CorporaExplicit ? options.Corpora : new[] { "none-2k" }).SelectMany(n => BuildCorpus(n, options.Seed, quick: false)).ToList();
                string scan = TextGateProfile.Run(corpora, options.Reps ?? 30);
                Console.WriteLine(scan);
                if (options.Out != null)
                {
                    File.WriteAllText(options.Out, scan);
                }

                return 0;
            }

            if (options.Phases)
            {
                // Default: the giant corpora (OVL001/002/006 only). Named dense corpora also get the per-type rules' profile.
                var names = options.CorporaExplicit ? options.Corpora : new[] { "giant" };
                var corpora = names.SelectMany(n => BuildCorpus(n, options.Seed, quick: false)).ToList();
                bool dense = corpora.Any(c => c.Role.StartsWith("dense-", StringComparison.Ordinal));
                int rounds = options.Reps ?? (dense ? 5 : 12);
                string profile = PhaseProfile.Run(corpora, rounds);
                if (dense)
                {
                    profile += Environment.NewLine + await PerTypeProfile.RunAsync(corpora, AnalyzerSets.Ours(options.OvlAssembly), rounds).ConfigureAwait(false);
                }

                Console.WriteLine(profile);
                if (options.Out != null)
                {
                    File.WriteAllText(options.Out, profile);
                }

                return 0;
            }

            var total = Stopwatch.StartNew();
            var log = Console.Out;

            // Analyzer sets first: a load failure should stop the run before any corpus is built.
            var ours = AnalyzerSets.Ours(options.OvlAssembly);
            var configurations = new List<Configuration>
            {
                new Configuration("compile", null),
                new Configuration("driver-empty", AnalyzerSets.EmptyDriver()),
                new Configuration("driver", AnalyzerSets.Driver()),
            };
            if (ours.Analyzers.Length > 0)
            {
                configurations.Add(new Configuration("ovl", ours));
            }
            else
            {
                log.WriteLine($"NOTE: {ours.Source} holds no DiagnosticAnalyzer type yet: the OVL configuration is skipped and its targets are n/a.");
            }

            if (options.Configs.Contains("ca"))
            {
                configurations.Add(new Configuration("ca", AnalyzerSets.NetAnalyzers()));
            }

            if (options.Configs.Contains("idisp"))
            {
                configurations.Add(new Configuration("idisp", AnalyzerSets.IDisposable()));
            }

            // The dense corpora answer "which analyzer" by default: there every analyzer works.
            bool eachAnalyzer = options.Configs.Contains("ovl-each") || (!options.ConfigsExplicit && !options.Quick && options.Corpora.Any(c => c.StartsWith("dense-", StringComparison.Ordinal)));
            if (eachAnalyzer)
            {
                // One configuration per rule analyzer, to find which one a regression belongs to.
                foreach (var analyzer in ours.Analyzers)
                {
                    string key = "ovl:" + analyzer.GetType().Name;
                    configurations.Add(new Configuration(key, new AnalyzerSet(key, ImmutableArray.Create(analyzer), ours.DiagnosticOptions, ours.Source)));
                }
            }

            configurations.Add(new Configuration("probe-naive", AnalyzerSets.Probe("probe: CFG of every method", new NaiveCfgProbe())));
            configurations.Add(new Configuration("probe-opgate", AnalyzerSets.Probe("probe: gate in operation block", new OperationGateProbe())));
            configurations.Add(new Configuration("probe-syntaxgate", AnalyzerSets.Probe("probe: gate in syntax action", new SyntaxGateProbe())));
            configurations.Add(new Configuration("shape-codeblock", AnalyzerSets.Probe("shape: no-op code-block action", new RegistrationShapeProbe(RegistrationShape.CodeBlock))));
            configurations.Add(new Configuration("shape-symbolstart", AnalyzerSets.Probe("shape: no-op symbol-start action", new RegistrationShapeProbe(RegistrationShape.SymbolStart))));
            configurations.Add(new Configuration("shape-semanticmodel", AnalyzerSets.Probe("shape: no-op semantic-model action", new RegistrationShapeProbe(RegistrationShape.SemanticModel))));
            configurations = configurations.Where(c => options.Configs.Contains(c.Key) || (c.Key.StartsWith("ovl:", StringComparison.Ordinal) && eachAnalyzer)).ToList();
            foreach (var c in configurations.Where(c => c.Analyzers != null))
            {
                log.WriteLine("loaded " + c.Analyzers);
            }

            var machine = MachineDescription(ours);
            log.WriteLine(machine);

            // Warm-up: JIT every path (compiler, driver, each analyzer) on a small corpus before timing anything.
            // Twice, so tiered compilation has promoted the hot methods before the first timed run.
            var warmup = new Corpus("warmup", "warmup", "warm-up", CorpusGenerator.Generate(options.WarmupFiles, 0.05, options.Seed + 1));
            Runner.CheckCompiles(warmup);
            for (int round = 0; round < 2; round++)
            {
                foreach (var c in configurations)
                {
                    await Runner.RunAsync(warmup, c, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var results = new List<CorpusResult>();
            foreach (string name in options.Corpora)
            {
                var corpus = BuildCorpus(name, options.Seed, options.Quick);
                foreach (var extra in corpus)
                {
                    if (options.Dump != null)
                    {
                        Dump(extra, options.Dump);
                    }

                    Runner.CheckCompiles(extra);
                    int reps = options.Reps ?? extra.Role switch { "ovl-20k" => 3, "dense-lib" => 11, _ => 5 };
                    var configs = configurations.Where(c => IsDefaultFor(extra.Role, c.Key) || options.ConfigsExplicit).ToList();
                    log.WriteLine();
                    log.WriteLine($"== {extra.Name}: {extra.Description}; {extra.Files} files, {extra.Lines} lines, {extra.Methods} methods, {reps} rep(s)");
                    var runs = configs.ToDictionary(c => c.Key, _ => new List<RunResult>());
                    for (int rep = 0; rep < reps; rep++)
                    {
                        // Rotate the order so drift (thermal, GC heap growth) spreads evenly over configurations.
                        for (int k = 0; k < configs.Count; k++)
                        {
                            var c = configs[(k + rep) % configs.Count];
                            var r = await Runner.RunAsync(extra, c, CancellationToken.None).ConfigureAwait(false);
                            runs[c.Key].Add(r);
                            log.WriteLine($"   rep {rep + 1} {c.Label,-24} compile {r.CompileMs,7:F0} ms  analysis {r.AnalysisMs,8:F0} ms  analyzers {r.AnalyzerMs,8:F1} ms  alloc {r.AnalysisAllocatedBytes / 1048576.0,7:F1} MiB{(r.AnalyzerExceptions > 0 ? "  EXCEPTIONS " + r.AnalyzerExceptions : string.Empty)}");
                        }
                    }

                    results.Add(new CorpusResult(extra, configs, runs));
                }
            }

            string report = Report.Build(results, machine, options, total.Elapsed);
            log.WriteLine();
            log.WriteLine(report);
            if (options.Out != null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
                File.WriteAllText(options.Out, report);
                log.WriteLine("report written to " + options.Out);
            }

            return 0;
        }

        /// <summary>CA/IDisposable on the scaling corpora add minutes and answer no target; run them only when asked.</summary>
        private static bool IsDefaultFor(string corpus, string config) => corpus switch
        {
            "ovl-20k" or "ovl-200" => config is "compile" or "driver-empty" or "driver" or "ovl" or "ca",
            "none-2k" or "ovl-2k" => !config.StartsWith("ovl:", StringComparison.Ordinal),
            "dense-200" or "dense-lib" => !config.StartsWith("probe-", StringComparison.Ordinal) && !config.StartsWith("shape-", StringComparison.Ordinal),
            _ => !config.StartsWith("probe-", StringComparison.Ordinal) && !config.StartsWith("ovl:", StringComparison.Ordinal),
        };

        /// <summary>
        /// The corpora by name. In --quick mode the two 2,000-file corpora shrink to 500 files (same seed, same shares) so the
        /// smoke run stays short; they still answer the same targets.
        /// </summary>
        private static IEnumerable<Corpus> BuildCorpus(string name, int seed, bool quick)
        {
            int scaled = quick ? 500 : 2000;
            string size = quick ? "500" : "2,000";
            switch (name)
            {
                case "none-2k":
                    return new[] { new Corpus(quick ? "none-500" : name, name, size + " files, no overlapped code", CorpusGenerator.Generate(scaled, 0, seed)) };
                case "ovl-2k":
                    return new[] { new Corpus(quick ? "ovl-500" : name, name, size + " files, 1% overlapped", CorpusGenerator.Generate(scaled, 0.01, seed)) };
                case "ovl-200":
                    return new[] { new Corpus(name, name, "200 files, 1% overlapped", CorpusGenerator.Generate(200, 0.01, seed)) };
                case "ovl-20k":
                    return new[] { new Corpus(name, name, "20,000 files, 1% overlapped", CorpusGenerator.Generate(20000, 0.01, seed)) };
                case "giant":
                    return new[]
                    {
                        new Corpus("giant-method", "giant-method", "one 5,000-line method, 200 start sites", CorpusGenerator.GiantMethod(5000, 200, split: false, seed)),
                        new Corpus("giant-split", "giant-split", "the same 200 segments as 200 methods", CorpusGenerator.GiantMethod(5000, 200, split: true, seed)),
                    };
                case "dense-200":
                    return new[] { new Corpus(name, name, "200 files, all IOCP code (generated; 1 in 4 members buggy)", DenseCorpusGenerator.Generate(200, seed)) };
                case "dense-lib":
                    return new[] { new Corpus(name, name, "hand-written socket library (DenseLibrary/)", DenseLibrary.Load()) };
                default:
                    throw new ArgumentException("unknown corpus " + name);
            }
        }

        private static void Dump(Corpus corpus, string directory)
        {
            foreach (var tree in corpus.Trees)
            {
                string path = Path.Combine(directory, corpus.Name, tree.FilePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, tree.GetText().ToString());
            }
        }

        private static string MachineDescription(AnalyzerSet ours)
        {
            string cpu = "unknown CPU";
            try
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
            string roslyn = typeof(Compilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
            roslyn = roslyn.Split('+')[0];
            string commit = Git("rev-parse --short HEAD");
            string dirty = Git("status --porcelain --untracked-files=no").Length > 0 ? " (+ uncommitted changes)" : string.Empty;
            return string.Join(
                "\n",
                $"- machine: {cpu}, {Environment.ProcessorCount} logical cores, {memory:F0} GiB, {RuntimeInformation.OSDescription}",
                $"- runtime: .NET {Environment.Version}, {(GCSettings() ? "server" : "workstation")} GC; compiler: Microsoft.CodeAnalysis {roslyn}",
                $"- analyzers: OverlappedAnalyzers from {ours.Source} ({ours.Analyzers.Length} analyzer type(s): {string.Join(", ", ours.Analyzers.Select(a => a.GetType().Name))}{OvlBuild(ours)}); benchmark commit {commit}{dirty}");
        }

        /// <summary>Which build of our analyzers ran: its informational version and module version id (tell builds apart).</summary>
        private static string OvlBuild(AnalyzerSet ours)
        {
            if (ours.Analyzers.IsEmpty)
            {
                return string.Empty;
            }

            var assembly = ours.Analyzers[0].GetType().Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
            return $"; version {version}, MVID {assembly.ManifestModule.ModuleVersionId.ToString("N", CultureInfo.InvariantCulture)[..8]}";
        }

        private static bool GCSettings() => System.Runtime.GCSettings.IsServerGC;

        private static string Git(string arguments)
        {
            try
            {
                var psi = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var process = Process.Start(psi);
                if (process is null)
                {
                    return "?";
                }

                string output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 ? output : "?";
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "?";
            }
        }
    }

    internal sealed class Options
    {
        private static readonly string[] AllCorpora = { "none-2k", "ovl-2k", "ovl-200", "ovl-20k", "giant", "dense-200", "dense-lib" };
        private static readonly string[] AllConfigs = { "compile", "driver-empty", "driver", "ovl", "ca", "idisp", "probe-naive", "probe-opgate", "probe-syntaxgate", "ovl-each", "shape-codeblock", "shape-symbolstart", "shape-semanticmodel" };

        /// <summary>Diagnostic configurations that answer no target: run only when named in --configs.</summary>
        private static readonly string[] OnlyWhenAsked = { "ovl-each", "shape-codeblock", "shape-symbolstart", "shape-semanticmodel" };

        public bool Help { get; private set; }
        public bool Quick { get; private set; }
        public bool Phases { get; private set; }
        public bool Latency { get; private set; }
        public bool TextGate { get; private set; }

        /// <summary>--verdicts FILE: write every OVL diagnostic of the corpora (the no-verdict-change check of a performance change).</summary>
        public string? Verdicts { get; private set; }
        public bool CorporaExplicit { get; private set; }
        public IReadOnlyList<string> Corpora { get; private set; } = AllCorpora;
        public IReadOnlyCollection<string> Configs { get; private set; } = AllConfigs.Except(OnlyWhenAsked).ToArray();
        public bool ConfigsExplicit { get; private set; }
        public int? Reps { get; private set; }
        public int Seed { get; private set; } = 7;
        public int WarmupFiles { get; private set; } = 300;
        public string? OvlAssembly { get; private set; }
        public string? Out { get; private set; }
        public string? Dump { get; private set; }
        public IReadOnlyList<string> Args { get; private set; } = Array.Empty<string>();

        public static Options Parse(string[] args)
        {
            var o = new Options { Args = args };
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
                switch (args[i])
                {
                    case "-h":
                    case "--help":
                        o.Help = true;
                        break;
                    case "--quick":
                        o.Quick = true;
                        break;
                    case "--corpus":
                        o.Corpora = List(Next(), AllCorpora, "corpus");
                        o.CorporaExplicit = true;
                        break;
                    case "--configs":
                        var configs = List(Next(), AllConfigs, "configuration");
                        o.Configs = configs.Union(new[] { "compile" }).ToList();
                        o.ConfigsExplicit = true;
                        break;
                    case "--reps":
                        o.Reps = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
                        if (o.Reps < 1)
                        {
                            throw new ArgumentException("--reps must be at least 1");
                        }

                        break;
                    case "--warmup-files":
                        o.WarmupFiles = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
                        if (o.WarmupFiles < 20)
                        {
                            throw new ArgumentException("--warmup-files must be at least 20");
                        }

                        break;
                    case "--seed":
                        o.Seed = int.Parse(Next(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                        break;
                    case "--ovl-assembly":
                        o.OvlAssembly = Path.GetFullPath(Next());
                        break;
                    case "--out":
                        o.Out = Next();
                        break;
                    case "--verdicts":
                        o.Verdicts = Next();
                        break;
                    case "--phases":
                        o.Phases = true;
                        break;
                    case "--latency":
                        o.Latency = true;
                        break;
                    case "--textgate":
                        o.TextGate = true;
                        break;
                    case "--dump":
                        o.Dump = Next();
                        break;
                    default:
                        throw new ArgumentException("unknown option " + args[i]);
                }
            }

            if (o.Quick)
            {
                if (!args.Contains("--corpus"))
                {
                    o.Corpora = new[] { "none-2k", "ovl-2k", "giant", "dense-lib" };
                }

                o.Reps ??= 1;
                if (!o.ConfigsExplicit)
                {
                    o.Configs = new[] { "compile", "driver-empty", "driver", "ovl", "ca" };
                }
            }

            return o;
        }

        private static IReadOnlyList<string> List(string value, string[] allowed, string what)
        {
            var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var item in items)
            {
                if (!allowed.Contains(item))
                {
                    throw new ArgumentException($"unknown {what} '{item}' (expected one of {string.Join(", ", allowed)})");
                }
            }

            return items;
        }
    }
}
