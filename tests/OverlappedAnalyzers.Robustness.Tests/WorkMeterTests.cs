using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>The measure the other suites bound: opt-in, per run, and counting iterations, not just passes.</summary>
    public class WorkMeterTests
    {
        private readonly ITestOutputHelper output;

        public WorkMeterTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void OrdinaryOptions_CarryNoMeter()
        {
            Assert.Null(WorkMeter.Of(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)));
            Assert.Null(WorkMeter.Of(null));
            var meter = new WorkMeter();
            Assert.Same(meter, WorkMeter.Of(new MeteredAnalyzerOptions(ImmutableArray<AdditionalText>.Empty, meter)));
        }

        /// <summary>
        /// Straight-line code is one pass plus the reporting pass (2 visits per block); a loop's back edge sends its
        /// body round again until the state stops changing, and the meter sees those extra visits.
        /// </summary>
        [Fact]
        public void LoopBackEdges_CostExtraVisits_WithinTheLinearCeiling()
        {
            var straight = Run("Straight", "    m_ov.StartOperation(OperationType.Receive);\n" + Generated.FailureCheck("m_ov", "    "));
            var loop = Run("Loop", "    while (flags > 0)\n    {\n        m_ov.StartOperation(OperationType.Receive);\n" + Generated.FailureCheck("m_ov", "        ") + "        flags--;\n    }\n");

            Assert.True(straight.VisitsPerBlock <= 2.0, straight.ToString());
            Assert.True(loop.VisitsPerBlock > 2.0, loop.ToString());
            Assert.True(loop.VisitsPerBlock <= WorkBounds.MaxVisitsPerBlock, loop.ToString());
        }

        /// <summary>The pending solver's work on the one method of a generated socket class.</summary>
        private GraphWork Run(string name, string body)
        {
            var source = Generated.SocketClass(name, $"        public void Receive(int flags)\n        {{\n{body}        }}");
            var result = Harness.Run(new[] { Corpus.Support, new SourceFile(name + ".cs", source) }, HarnessOptions.AnalyzersOnly);
            Assert.True(result.IsClean, result.Describe());
            Assert.Contains(result.RuleDiagnostics, d => d.Id == "OVL001" && d.Location.SourceTree!.FilePath == name + ".cs");
            var work = Assert.Single(result.Work, w => w.Solver == "PendingAnalysis" && w.Path == name + ".cs");
            output.WriteLine($"{name}: {work}");
            return work;
        }
    }
}
