using System;
using System.Linq;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>
    /// Hang detectors for pathological inputs, judged by the engine's work, not the clock: on every graph the
    /// solvers visit each block a bounded number of times (<see cref="WorkBounds"/>) and the findings stay
    /// capped, with every analyzer and fix. Where the input has overlapped code, the solver must have run on a
    /// graph at least as large as the input implies, so the bound is never met by skipping the work.
    /// </summary>
    public class BoundedWorkTests
    {
        /// <summary>PendingAnalysis reports at most this many findings per graph; each generated input has one method that can.</summary>
        private const int MaxFindingsPerGraph = 1000;

        private readonly ITestOutputHelper output;

        public BoundedWorkTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void MutuallyRecursiveHelpers_PassingTheOverlapped_Finish()
        {
            var result = Run("Recursive.cs", Generated.MutuallyRecursiveHelpers(200), minSolvedBlocks: 3);

            // Helper0 hands the overlapped on (to Helper1): ownership moved, so the throw is not reported.
            Assert.DoesNotContain(result.RuleDiagnostics, d => d.Id == "OVL001" && d.GetMessage().Contains("m_ov", StringComparison.Ordinal));
        }

        [Fact]
        public void AliasChainOf1000Locals_Finishes()
        {
            var result = Run("Aliases.cs", Generated.AliasChain(1000), minSolvedBlocks: 3);
            Assert.Single(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        [Fact]
        public void ThousandNestedIfs_Finish()
        {
            Run("NestedIfs.cs", Generated.NestedIfs(1000), minSolvedBlocks: 1000);
        }

        [Fact]
        public void TwoThousandStartSitesInOneMethod_Finish()
        {
            var result = Run("ManyStarts.cs", Generated.ManyStartSites(2000, receivers: 1), minSolvedBlocks: 3);
            Assert.NotEmpty(result.RuleDiagnostics);
        }

        /// <summary>
        /// Regression: every throw reported every receiver still pending, so distinct receivers made the report
        /// quadratic (2,000 receivers: ~2M diagnostics, minutes). PendingAnalysis now caps findings per graph.
        /// </summary>
        [Fact]
        public void TwoThousandStartSitesOnDistinctReceivers_ReportIsBounded()
        {
            var result = Run("ManyReceivers.cs", Generated.ManyStartSites(2000, receivers: 100), minSolvedBlocks: 3);
            Assert.InRange(result.RuleDiagnostics.Count(), 1, 1000);
        }

        /// <summary>Regression: Roslyn's graph builder throws InsufficientExecutionStackException on this; it was AD0001.</summary>
        [Theory]
        [InlineData("+")]
        [InlineData("&&")]
        [InlineData("||")]
        public void TenThousandTermExpression_Finishes(string op)
        {
            Run("LongExpression.cs", Generated.LongExpression(10_000, op), minSolvedBlocks: 0);
        }

        [Fact]
        public void TenThousandStatementMethod_WithOverlapped_ReportsAndFinishes()
        {
            var result = Run("LongMethod.cs", Generated.LongMethod(10_000, withOverlapped: true), minSolvedBlocks: 3);
            Assert.Single(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        [Fact]
        public void HundredNestedTryCatchFinally_WithOverlapped_ReportsAndFinishes()
        {
            var result = Run("NestedTry.cs", Generated.NestedTry(100, withOverlapped: true), minSolvedBlocks: 100);
            Assert.Contains(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        /// <param name="minSolvedBlocks">
        /// The size of the generated method's graph the pending solver must have solved (0: the input may yield
        /// no graph, as when Roslyn's graph builder runs out of stack on a 10,000-term expression).
        /// </param>
        private AnalysisResult Run(string path, string source, int minSolvedBlocks)
        {
            var result = Harness.Run(new[] { Corpus.Support, new SourceFile(path, source) }, new HarnessOptions(RunFixAll: true));
            output.WriteLine($"{path}: {source.Length:N0} chars; {result.RuleDiagnostics.Count()} diagnostics; {WorkBounds.Describe(result)}");
            Assert.True(result.IsClean, result.Describe());
            WorkBounds.AssertLinear(result, path);
            Assert.InRange(result.RuleDiagnostics.Count(), 0, MaxFindingsPerGraph);
            if (minSolvedBlocks > 0)
            {
                Assert.Contains(result.Work, w => w.Solver == "PendingAnalysis" && w.Blocks >= minSolvedBlocks);
            }

            return result;
        }
    }
}
