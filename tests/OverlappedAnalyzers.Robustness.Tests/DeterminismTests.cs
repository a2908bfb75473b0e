using System;
using System.Collections.Generic;
using System.Linq;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>Same input, same diagnostics; and no shared state between concurrently analysed files.</summary>
    public class DeterminismTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
        private readonly ITestOutputHelper output;

        public DeterminismTests(ITestOutputHelper output) => this.output = output;

        /// <summary>Every corpus input, three times: the same diagnostics in the same order (sequential driver).</summary>
        [Fact]
        public void SameInput_SameDiagnosticsInSameOrder()
        {
            foreach (var input in Corpus.Inputs)
            {
                var sources = Corpus.WithSupport(input);
                var first = Keys(Harness.Run(sources, HarnessOptions.Sequential, Bound));
                for (var run = 0; run < 2; run++)
                {
                    var again = Keys(Harness.Run(sources, HarnessOptions.Sequential, Bound));
                    Assert.True(first.SequenceEqual(again), $"{input.Path}:\nfirst:\n{string.Join("\n", first)}\nagain:\n{string.Join("\n", again)}");

                    // Concurrent analysis: the driver interleaves code blocks, the set stays the same.
                    var concurrent = Keys(Harness.Run(sources, HarnessOptions.AnalyzersOnly, Bound));
                    Assert.Equal(first.OrderBy(k => k, StringComparer.Ordinal), concurrent.OrderBy(k => k, StringComparer.Ordinal));
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
                var result = Harness.Run(files, HarnessOptions.AnalyzersOnly, Bound);
                Assert.True(result.IsClean, result.Describe());
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
            var alone = Keys(Harness.Run(new[] { files[0], files[1] }, HarnessOptions.AnalyzersOnly, Bound));
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
    }
}
