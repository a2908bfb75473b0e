using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>
    /// Mutation fuzzing: every discovered analyzer and code fix over thousands of deterministic mutants of the
    /// corpus. No analyzer may throw (AD0001), no fix may throw, no fix may make its document parse worse, and
    /// the engine's work on every mutant stays linear in its graphs (<see cref="WorkBounds"/>).
    /// </summary>
    public class MutationFuzzTests
    {
        private readonly ITestOutputHelper output;

        public MutationFuzzTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void Corpus_IsLoadedAndDiscoversEveryAnalyzer()
        {
            Assert.NotEmpty(AnalyzerCatalog.Analyzers);
            Assert.Contains(AnalyzerCatalog.Analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == "OVL001"));
            Assert.True(Corpus.Inputs.Count(i => i.Path.StartsWith("Corpus/", StringComparison.Ordinal)) >= 10);
            output.WriteLine(AnalyzerCatalog.Describe());
            output.WriteLine($"{Corpus.Inputs.Count} inputs: " + string.Join(", ", Corpus.Inputs.Select(i => i.Path)));
        }

        /// <summary>Unmutated hand-written inputs compile cleanly, so statement-level mutants reach the path engine.</summary>
        [Fact]
        public async Task Corpus_HandWrittenInputsCompileWithoutErrors()
        {
            foreach (var input in Corpus.Inputs.Where(i => i.Path.StartsWith("Corpus/", StringComparison.Ordinal)))
            {
                var solution = Harness.CreateSolution(Corpus.WithSupport(input));
                var compilation = await solution.Projects.Single().GetCompilationAsync();
                var errors = compilation!.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
                Assert.True(errors.Count == 0, input.Path + ":\n" + string.Join("\n", errors));
            }
        }

        /// <summary>The unmutated corpus: no crash, and the seed's bug is found (the fuzzer's baseline is meaningful).</summary>
        [Fact]
        public async Task Corpus_UnmutatedInputs_NoCrashAndSeedBugReported()
        {
            var reported = 0;
            foreach (var input in Corpus.Inputs)
            {
                var result = await Harness.RunGuardedAsync(Corpus.WithSupport(input), new HarnessOptions(RunFixAll: true));
                Assert.True(result.IsClean, input.Path + ":\n" + result.Describe());
                WorkBounds.AssertLinear(result, input.Path);
                reported += result.RuleDiagnostics.Count();
                if (input.Path == "Corpus/SocketReceive.cs")
                {
                    Assert.Contains(result.RuleDiagnostics, d => d.Id == "OVL001" && d.Location.GetLineSpan().Path == input.Path);
                }
            }

            output.WriteLine($"{reported} diagnostics on the unmutated corpus");
        }

        [Fact]
        public async Task Mutants_NeverCrashAnalyzersOrCodeFixes()
        {
            var seed = FuzzSettings.Seed;
            var only = FuzzSettings.OnlyIndex;
            var count = only is null ? FuzzSettings.Mutants : 1;
            var failures = new ConcurrentQueue<string>();
            var diagnostics = 0;
            var mutantsWithDiagnostics = 0;
            var fixes = 0;
            var visits = 0L;
            var blocks = 0L;
            var worstVisitsPerBlock = 0.0;
            var clock = Stopwatch.StartNew();

            await Parallel.ForEachAsync(
                Enumerable.Range(0, count).Select(i => only ?? i),
                new ParallelOptions { MaxDegreeOfParallelism = 2 },
                async (index, _) =>
                {
                    var (input, mutant, mutations) = FuzzSettings.CreateMutant(seed, index);
                    string? failure = null;
                    try
                    {
                        var options = new HarnessOptions(RunFixAll: index % 10 == 0);
                        var result = await Harness.RunGuardedAsync(Corpus.WithSupport(mutant), options);
                        var found = result.RuleDiagnostics.Count();
                        Interlocked.Add(ref visits, result.Work.Sum(w => (long)w.Visits));
                        Interlocked.Add(ref blocks, result.Work.Sum(w => (long)w.Blocks));
                        var worst = result.Work.Select(w => w.VisitsPerBlock).DefaultIfEmpty(0).Max();
                        lock (failures)
                        {
                            worstVisitsPerBlock = Math.Max(worstVisitsPerBlock, worst);
                        }

                        if (worst > WorkBounds.MaxVisitsPerBlock)
                        {
                            failure = $"the engine's work is not linear: {result.Work.OrderByDescending(w => w.VisitsPerBlock).First()} (ceiling {WorkBounds.MaxVisitsPerBlock} per block)";
                        }

                        Interlocked.Add(ref diagnostics, found);
                        Interlocked.Add(ref fixes, result.FixesApplied);
                        if (found > 0)
                        {
                            Interlocked.Increment(ref mutantsWithDiagnostics);
                        }

                        if (!result.IsClean)
                        {
                            failure = result.Describe();
                        }
                    }
                    catch (TimeoutException e)
                    {
                        failure = e.Message;
                    }

                    if (failure != null)
                    {
                        failures.Enqueue(
                            $"--- seed {seed}, mutant {index} (OVL_FUZZ_SEED={seed} OVL_FUZZ_INDEX={index}), input {input.Path}, mutations: {mutations}\n" +
                            $"{failure}\n--- mutant source:\n{mutant.Text}\n");
                    }
                });

            output.WriteLine($"seed {seed}: {count} mutants in {clock.Elapsed.TotalSeconds:0.0} s; {mutantsWithDiagnostics} with diagnostics ({diagnostics} in all); {fixes} fixes applied");
            output.WriteLine($"engine work: {visits:N0} block visits on {blocks:N0} solved blocks; worst graph {worstVisitsPerBlock:0.00} visits per block (ceiling {WorkBounds.MaxVisitsPerBlock})");
            output.WriteLine(AnalyzerCatalog.Describe());
            Assert.True(failures.IsEmpty, $"{failures.Count} failing mutants (first 3 shown):\n" + string.Join("\n", failures.Take(3)));
        }
    }
}
