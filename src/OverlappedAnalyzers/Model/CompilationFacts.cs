using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Pending;

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

        private CompilationFacts(KnownSymbols symbols, TreeGate trees)
        {
            Symbols = symbols;
            Trees = trees;
            builtInPairs = new OperationPairs(symbols, ImmutableArray<ConfiguredPair>.Empty);
        }

        public KnownSymbols Symbols { get; }

        /// <summary>The trees that name a start method (built-in or configured); code elsewhere is never bound.</summary>
        public TreeGate Trees { get; }

        public HelperSummaries Summaries { get; } = new HelperSummaries();

        /// <summary>
        /// The fast path: null when no syntax tree names a start method — built-in (<c>StartOperation</c>,
        /// <c>AllocateNativeOverlapped</c>, <c>Pack</c>/<c>UnsafePack</c>) or configured in any .editorconfig the
        /// compilation sees. Then the analyzer registers nothing at all.
        /// </summary>
        public static CompilationFacts? TryCreate(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
        {
            var trees = TreeGate.Create(compilation, StartNamesInForce(compilation, options), cancellationToken);
            return trees.IsEmpty ? null : new CompilationFacts(KnownSymbols.Create(compilation), trees);
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

        /// <summary>Built-in start names plus those of every pair configured globally or for any tree.</summary>
        private static ImmutableArray<string> StartNamesInForce(Compilation compilation, AnalyzerOptions options)
        {
            var provider = options.AnalyzerConfigOptionsProvider;
            var names = new HashSet<string>(OperationPairs.BuiltInStartNames, StringComparer.Ordinal);
            if (provider.GlobalOptions.TryGetValue(ConfiguredPair.OptionKey, out var global) && !string.IsNullOrWhiteSpace(global))
            {
                names.UnionWith(ConfiguredPair.StartNames(ConfiguredPair.Parse(global)));
            }

            string? previous = null;
            foreach (var tree in compilation.SyntaxTrees)
            {
                // Trees of one project nearly always share one value: parse each distinct value once.
                if (provider.GetOptions(tree).TryGetValue(ConfiguredPair.OptionKey, out var value) && !string.IsNullOrWhiteSpace(value) && value != previous)
                {
                    names.UnionWith(ConfiguredPair.StartNames(ConfiguredPair.Parse(value)));
                    previous = value;
                }
            }

            return names.ToImmutableArray();
        }
    }
}
