using System;
using System.Globalization;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// The fuzzer's knobs, from the environment: OVL_FUZZ_MUTANTS (how many, default 5,000), OVL_FUZZ_SEED
    /// (default fixed) and OVL_FUZZ_INDEX (run a single mutant: reproduce a reported failure).
    /// </summary>
    internal static class FuzzSettings
    {
        public const int DefaultMutants = 5000;
        public const int DefaultSeed = 8_2024;

        public static int Mutants => Read("OVL_FUZZ_MUTANTS") ?? DefaultMutants;

        public static int Seed => Read("OVL_FUZZ_SEED") ?? DefaultSeed;

        public static int? OnlyIndex => Read("OVL_FUZZ_INDEX");

        /// <summary>The mutant at <paramref name="index"/>: a pure function of seed, index and the corpus.</summary>
        public static (SourceFile Input, SourceFile Mutant, string Mutations) CreateMutant(int seed, int index)
        {
            var inputs = Corpus.Inputs;
            var random = new Random(unchecked((seed * 100_003) + index));
            var input = inputs[index % inputs.Count];
            var text = Mutator.Mutate(input.Text, random, out var mutations);
            return (input, input with { Text = text }, mutations);
        }

        private static int? Read(string name) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
