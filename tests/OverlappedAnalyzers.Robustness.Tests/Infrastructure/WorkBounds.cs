using System.Linq;
using Xunit;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// The engine's work, bounded: the figure is a property of the input, so the bound holds on any machine,
    /// however busy. Each solver visits a block once per change of its entry state and once more to report;
    /// the states form a finite lattice, so visits per block are bounded by the lattice's height along the
    /// graph's back edges (loops, catch handlers). A solver that gives up at its budget has made 65 visits per
    /// block, which fails the bound too: a non-converging graph is a bug, not a silence to accept here.
    /// </summary>
    internal static class WorkBounds
    {
        /// <summary>
        /// Visits per block, on any one graph. The inputs here need at most a handful (loops iterate to their
        /// fixed point in two or three passes); 16 leaves room for nested loops and handlers, and is a quarter of
        /// the solvers' own give-up budget of 64.
        /// </summary>
        public const double MaxVisitsPerBlock = 16;

        /// <summary>Every graph any solver ran on stayed linear in its size.</summary>
        public static void AssertLinear(AnalysisResult result, string what)
        {
            var worst = result.Work.OrderByDescending(w => w.VisitsPerBlock).FirstOrDefault();
            Assert.True(
                worst is null || worst.VisitsPerBlock <= MaxVisitsPerBlock,
                $"{what}: the engine's work is not linear in the graph ({worst}; ceiling {MaxVisitsPerBlock} visits per block)");
        }

        /// <summary>A one-line account of the run's work, for the test output.</summary>
        public static string Describe(AnalysisResult result)
        {
            if (result.Work.Count == 0)
            {
                return "no graph reached a solver";
            }

            var worst = result.Work.OrderByDescending(w => w.VisitsPerBlock).First();
            return $"{result.Work.Count} graphs solved, {result.Work.Sum(w => w.Visits):N0} block visits on {result.Work.Sum(w => w.Blocks):N0} blocks; worst {worst}";
        }
    }
}
