namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>One solver's work on one graph: <see cref="Visits"/> block visits on a graph of <see cref="Blocks"/> blocks.</summary>
    internal sealed class GraphWork
    {
        public GraphWork(string solver, string path, int blocks, int visits)
        {
            Solver = solver;
            Path = path;
            Blocks = blocks;
            Visits = visits;
        }

        public string Solver { get; }

        /// <summary>The file of the code the graph was built from.</summary>
        public string Path { get; }

        public int Blocks { get; }

        public int Visits { get; }

        /// <summary>Visits per block: 1 is a single pass; the solvers give up at 65 (their worklist budget).</summary>
        public double VisitsPerBlock => Blocks == 0 ? 0 : (double)Visits / Blocks;

        public override string ToString() => $"{Solver} in {Path}: {Visits} visits on {Blocks} blocks ({VisitsPerBlock:0.00}/block)";
    }
}
