using System;
using System.Collections.Generic;
using System.Linq;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>
    /// Same input, same diagnostics and the same engine work; and no shared state between concurrently analysed
    /// files. The work figure being a function of the input is what lets the other suites bound it.
    /// </summary>
    public class DeterminismTests
    {
        private readonly ITestOutputHelper output;

        public DeterminismTests(ITestOutputHelper output) => this.output = output;

        /// <summary>Every corpus input, three times: the same diagnostics in the same order (sequential driver).</summary>
        [Fact]
        public void SameInput_SameDiagnosticsInSameOrder()
        {
            foreach (var input in Corpus.Inputs)
            {
                var sources = Corpus.WithSupport(input);
                var firstRun = Harness.Run(sources, HarnessOptions.Sequential);
                var first = Keys(firstRun);
                WorkBounds.AssertLinear(firstRun, input.Path);
                for (var run = 0; run < 2; run++)
                {
                    var againRun = Harness.Run(sources, HarnessOptions.Sequential);
                    var again = Keys(againRun);
                    Assert.True(first.SequenceEqual(again), $"{input.Path}:\nfirst:\n{string.Join("\n", first)}\nagain:\n{string.Join("\n", again)}");
                    Assert.Equal(Work(firstRun), Work(againRun));

                    // Concurrent analysis: the driver interleaves code blocks, the set (and the work) stays the same.
                    var concurrentRun = Harness.Run(sources, HarnessOptions.AnalyzersOnly);
                    var concurrent = Keys(concurrentRun);
                    Assert.Equal(first.OrderBy(k => k, StringComparer.Ordinal), concurrent.OrderBy(k => k, StringComparer.Ordinal));
                    Assert.Equal(Work(firstRun), Work(concurrentRun));
                }
            }
        }

        [Fact]
        public void TwoHundredFilesAnalysedConcurrently_SameSortedDiagnosticsEveryRun()
        {
            var files = ManyFiles(200);
            List<string>? expected = null;
            for (var run = 0; run < 4; run++)
            {
                var result = Harness.Run(files, HarnessOptions.AnalyzersOnly);
                Assert.True(result.IsClean, result.Describe());
                WorkBounds.AssertLinear(result, $"{files.Count} files");
                var keys = Keys(result).OrderBy(k => k, StringComparer.Ordinal).ToList();
                if (expected is null)
                {
                    expected = keys;
                    output.WriteLine($"{files.Count} files, {keys.Count} diagnostics");
                    Assert.NotEmpty(keys);
                    continue;
                }

                Assert.Equal(expected, keys);
            }

            // One file alone reports what it reports among 199 others: no cross-file state.
            var alone = Keys(Harness.Run(new[] { files[0], files[1] }, HarnessOptions.AnalyzersOnly));
            Assert.Equal(expected!.Where(k => k.Contains(" " + files[1].Path + "(", StringComparison.Ordinal)), alone.OrderBy(k => k, StringComparer.Ordinal));
        }

        /// <summary>The hand-written corpus, each copy in its own namespace so 200 files compile together.</summary>
        private static List<SourceFile> ManyFiles(int count)
        {
            var inputs = Corpus.Inputs.Where(i => i.Path.StartsWith("Corpus/", StringComparison.Ordinal) && !i.Path.EndsWith("TopLevel.cs", StringComparison.Ordinal)).ToList();
            var files = new List<SourceFile> { Corpus.Support };
            for (var k = 0; files.Count <= count; k++)
            {
                var input = inputs[k % inputs.Count];
                files.Add(new SourceFile($"F{k}/{input.Path}", input.Text.Replace("namespace Corpus.", $"namespace Copy{k}.Corpus.", StringComparison.Ordinal)));
            }

            return files;
        }

        private static List<string> Keys(AnalysisResult result) => result.Diagnostics.Select(AnalysisResult.Key).ToList();

        /// <summary>The run's work as a sorted multiset: graphs are new objects every run, their sizes and visits are not.</summary>
        private static List<string> Work(AnalysisResult result) => result.Work.Select(w => w.ToString()).OrderBy(w => w, StringComparer.Ordinal).ToList();
    }
}
