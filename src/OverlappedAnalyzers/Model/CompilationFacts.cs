using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// Everything resolved once per compilation: known symbols, helper summaries and the start/finish pairs
    /// in force for each .editorconfig value. Lives only as long as its compilation (no state across them).
    /// </summary>
    internal sealed class CompilationFacts
    {
        private readonly ConcurrentDictionary<string, OperationPairs> pairsByOption = new ConcurrentDictionary<string, OperationPairs>();
        private readonly OperationPairs builtInPairs;

        private CompilationFacts(KnownSymbols symbols)
        {
            Symbols = symbols;
            builtInPairs = new OperationPairs(symbols, ImmutableArray<ConfiguredPair>.Empty);
        }

        public KnownSymbols Symbols { get; }

        public HelperSummaries Summaries { get; } = new HelperSummaries();

        /// <summary>
        /// The fast path: null when no start method can be called in this compilation — none of the framework
        /// pair types is referenced, no source member is named like a start method, and no pair is configured.
        /// </summary>
        public static CompilationFacts? TryCreate(Compilation compilation, AnalyzerOptions options)
        {
            var symbols = KnownSymbols.Create(compilation);
            if (symbols.ThreadPoolBoundHandle != null
                || symbols.ThreadingOverlapped != null
                || compilation.ContainsSymbolsWithName(OperationPairs.StartOperation, SymbolFilter.Member)
                || HasConfiguredPairs(compilation, options))
            {
                return new CompilationFacts(symbols);
            }

            return null;
        }

        /// <summary>The pairs in force for a syntax tree: built-in plus those its .editorconfig configures.</summary>
        public OperationPairs PairsFor(AnalyzerOptions options, SyntaxTree tree)
        {
            if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(ConfiguredPair.OptionKey, out var value) || string.IsNullOrWhiteSpace(value))
            {
                return builtInPairs;
            }

            return pairsByOption.GetOrAdd(value, v => new OperationPairs(Symbols, ConfiguredPair.Parse(v)));
        }

        private static bool HasConfiguredPairs(Compilation compilation, AnalyzerOptions options)
        {
            var provider = options.AnalyzerConfigOptionsProvider;
            if (provider.GlobalOptions.TryGetValue(ConfiguredPair.OptionKey, out var global) && !string.IsNullOrWhiteSpace(global))
            {
                return true;
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                if (provider.GetOptions(tree).TryGetValue(ConfiguredPair.OptionKey, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
