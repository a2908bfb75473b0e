using System;
using System.Diagnostics;
using System.Linq;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>
    /// Hang detectors for pathological inputs: each must finish well inside a generous bound (20 s) with every
    /// analyzer and fix. Not performance tests: the bound only separates "slow" from "never finishes".
    /// </summary>
    public class BoundedWorkTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
        private readonly ITestOutputHelper output;

        public BoundedWorkTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void MutuallyRecursiveHelpers_PassingTheOverlapped_Finish()
        {
            var result = Run("Recursive.cs", Generated.MutuallyRecursiveHelpers(200));

            // Helper0 hands the overlapped on (to Helper1): ownership moved, so the throw is not reported.
            Assert.DoesNotContain(result.RuleDiagnostics, d => d.Id == "OVL001" && d.GetMessage().Contains("m_ov", StringComparison.Ordinal));
        }

        [Fact]
        public void AliasChainOf1000Locals_Finishes()
        {
            var result = Run("Aliases.cs", Generated.AliasChain(1000));
            Assert.Single(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        [Fact]
        public void ThousandNestedIfs_Finish()
        {
            Run("NestedIfs.cs", Generated.NestedIfs(1000));
        }

        [Fact]
        public void TwoThousandStartSitesInOneMethod_Finish()
        {
            var result = Run("ManyStarts.cs", Generated.ManyStartSites(2000, receivers: 1));
            Assert.NotEmpty(result.RuleDiagnostics);
        }

        /// <summary>
        /// Regression: every throw reported every receiver still pending, so distinct receivers made the report
        /// quadratic (2,000 receivers: ~2M diagnostics, minutes). PendingAnalysis now caps findings per graph.
        /// </summary>
        [Fact]
        public void TwoThousandStartSitesOnDistinctReceivers_ReportIsBounded()
        {
            var result = Run("ManyReceivers.cs", Generated.ManyStartSites(2000, receivers: 100));
            Assert.InRange(result.RuleDiagnostics.Count(), 1, 1000);
        }

        /// <summary>Regression: Roslyn's graph builder throws InsufficientExecutionStackException on this; it was AD0001.</summary>
        [Theory]
        [InlineData("+")]
        [InlineData("&&")]
        [InlineData("||")]
        public void TenThousandTermExpression_Finishes(string op)
        {
            Run("LongExpression.cs", Generated.LongExpression(10_000, op));
        }

        [Fact]
        public void TenThousandStatementMethod_WithOverlapped_ReportsAndFinishes()
        {
            var result = Run("LongMethod.cs", Generated.LongMethod(10_000, withOverlapped: true));
            Assert.Single(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        [Fact]
        public void HundredNestedTryCatchFinally_WithOverlapped_ReportsAndFinishes()
        {
            var result = Run("NestedTry.cs", Generated.NestedTry(100, withOverlapped: true));
            Assert.Contains(result.RuleDiagnostics, d => d.Id == "OVL001");
        }

        private AnalysisResult Run(string path, string source)
        {
            var clock = Stopwatch.StartNew();
            var result = Harness.Run(new[] { Corpus.Support, new SourceFile(path, source) }, new HarnessOptions(RunFixAll: true), Bound);
            output.WriteLine($"{path}: {source.Length:N0} chars analysed in {clock.Elapsed.TotalSeconds:0.00} s; {result.RuleDiagnostics.Count()} diagnostics");
            Assert.True(result.IsClean, result.Describe());
            Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed}");
            return result;
        }
    }
}
