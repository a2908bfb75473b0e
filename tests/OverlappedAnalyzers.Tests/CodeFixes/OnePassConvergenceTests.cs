using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Rules;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Tests.CodeFixes
{
    /// <summary>
    /// The property behind "one <c>dotnet format analyzers</c> run is enough": for every positive case of every
    /// corpus, one run (in two rule orders, since the tool's order is a hash order) leaves no diagnostic that has a
    /// fix, adds no diagnostic that was not there, and leaves code that compiles. What stays is exactly what had no
    /// fix to begin with; the test output tallies it by reason.
    /// </summary>
    public sealed class OnePassConvergenceTests
    {
        private static readonly HashSet<string> SupportFiles = new HashSet<string>(StringComparer.Ordinal) { "/src/Overlapped.cs", "/src/Support.cs" };
        private static readonly Regex Names = new Regex(@"'[^']*'|\d+", RegexOptions.Compiled);
        private readonly ITestOutputHelper _output;

        public OnePassConvergenceTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public async Task RuleTestCases_OnePassFixesEverythingFixable()
        {
            var cases = await FixCorpora.RuleTestsAsync();

            // The recorder must have found the rule tests, or this property holds of nothing.
            Assert.True(cases.Count >= 90, "only " + cases.Count + " positive rule-test cases recorded");
            await AssertConvergesAsync(cases, minimumFixed: 90);
        }

        [Fact]
        public async Task LeakySample_OnePassFixesEverythingFixable()
        {
            await AssertConvergesAsync(new[] { FixCorpora.LeakySample() }, minimumFixed: 8);
        }

        [Fact]
        public async Task RobustnessCorpus_OnePassFixesEverythingFixable()
        {
            var cases = FixCorpora.RobustnessCorpus();
            Assert.True(cases.Count >= 10, "only " + cases.Count + " corpus files found");
            await AssertConvergesAsync(cases, minimumFixed: 10);
        }

        private async Task AssertConvergesAsync(IReadOnlyList<FixCase> cases, int minimumFixed)
        {
            var failures = new List<string>();
            var fixedCount = 0;
            var noFix = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var total = 0;
            var seenInSupport = new HashSet<string>(StringComparer.Ordinal);
            foreach (var fixCase in cases)
            {
                var solution = FormatPass.CreateSolution(fixCase.Sources, fixCase.EditorConfig, fixCase.References);
                var errorsBefore = await FormatPass.CompilerErrorsAsync(solution);
                if (!errorsBefore.IsEmpty)
                {
                    failures.Add(fixCase + ": does not compile before any fix: " + errorsBefore[0]);
                    continue;
                }

                var initial = await FormatPass.AnalyzeAsync(solution);
                var unfixable = new List<Diagnostic>();
                foreach (var diagnostic in initial)
                {
                    if ((await FormatPass.ActionsForAsync(solution, diagnostic)).IsEmpty)
                    {
                        unfixable.Add(diagnostic);
                    }
                }

                // A shared support file (the seed-like Io.Overlapped beside every rule test) is counted once, not once per case.
                var counted = initial.Where(d => !SupportFiles.Contains(d.Location.SourceTree!.FilePath) || seenInSupport.Add(d.Id + d.Location.SourceTree.FilePath + d.Location.SourceSpan)).ToList();
                total += counted.Count;
                fixedCount += counted.Count(d => !unfixable.Contains(d));
                foreach (var diagnostic in unfixable.Where(counted.Contains))
                {
                    var reason = NoFixReason(diagnostic);
                    noFix[reason] = noFix.TryGetValue(reason, out var n) ? n + 1 : 1;
                    _output.WriteLine("no fix: " + fixCase + ": " + diagnostic);
                }

                foreach (var (orderName, order) in Orders)
                {
                    var after = await FormatPass.RunAsync(solution, order);
                    var final = await FormatPass.AnalyzeAsync(after);
                    var errors = await FormatPass.CompilerErrorsAsync(after);
                    foreach (var error in errors.Take(3))
                    {
                        failures.Add(fixCase + " [" + orderName + "]: the fixed code does not compile: " + error + Environment.NewLine + ChangedText(solution, after));
                    }

                    foreach (var diagnostic in final)
                    {
                        if (!(await FormatPass.ActionsForAsync(after, diagnostic)).IsEmpty)
                        {
                            failures.Add(fixCase + " [" + orderName + "]: still fixable after one pass: " + diagnostic + Environment.NewLine + ChangedText(solution, after));
                        }
                    }

                    if (final.Length > unfixable.Count)
                    {
                        failures.Add(fixCase + " [" + orderName + "]: " + final.Length + " diagnostics after one pass, " + unfixable.Count + " without a fix before: "
                            + string.Join("; ", final.Select(d => d.ToString())));
                    }
                }
            }

            _output.WriteLine(cases.Count + " cases, " + total + " diagnostics: " + fixedCount + " fixed in one pass, " + (total - fixedCount) + " without a fix by design:");
            foreach (var (reason, count) in noFix)
            {
                _output.WriteLine("  " + count + " × " + reason);
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures.Take(10)) + Environment.NewLine + failures.Count + " failures");
            Assert.True(fixedCount >= minimumFixed, "only " + fixedCount + " diagnostics fixed: the corpus lost its positive cases");
        }

        private static IEnumerable<(string Name, Func<IEnumerable<string>, IEnumerable<string>> Order)> Orders => new (string, Func<IEnumerable<string>, IEnumerable<string>>)[]
        {
            ("ascending", ids => ids.OrderBy(i => i, StringComparer.Ordinal)),
            ("descending", ids => ids.OrderByDescending(i => i, StringComparer.Ordinal)),
        };

        /// <summary>Why a diagnostic has no fix, with the code's own names taken out so reasons group.</summary>
        private static string NoFixReason(Diagnostic diagnostic)
        {
            if (diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.NoFixReasonProperty, out var reason) && reason != null)
            {
                return diagnostic.Id + ": " + Names.Replace(reason, "…");
            }

            return diagnostic.Id + ": " + Names.Replace(diagnostic.GetMessage(), "…");
        }

        private static string ChangedText(Solution before, Solution after)
        {
            var text = new StringBuilder();
            foreach (var id in after.GetChanges(before).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
            {
                text.AppendLine("--- " + after.GetDocument(id)!.Name).AppendLine(after.GetDocument(id)!.GetTextAsync().Result.ToString());
            }

            return text.ToString();
        }
    }
}
