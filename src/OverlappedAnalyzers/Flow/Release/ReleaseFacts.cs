using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>What OVL007 resolves once per compilation; lives exactly as long as its compilation.</summary>
    internal sealed class ReleaseFacts
    {
        private readonly ConcurrentDictionary<string, OperationPairs> pairsByOption = new ConcurrentDictionary<string, OperationPairs>();
        private readonly OperationPairs builtInPairs;

        private ReleaseFacts(KnownSymbols symbols, TreeGate trees, Compilation compilation, CancellationToken cancellationToken)
        {
            Symbols = symbols;
            Trees = trees;
            Releases = new ReleaseCalls(symbols, new NativeAllocations(symbols, compilation));
            AsyncFields = new AsyncOverlappedFields(cancellationToken);
            Helpers = new HelperVerdicts(cancellationToken);
            builtInPairs = new OperationPairs(symbols, ImmutableArray<ConfiguredPair>.Empty);
        }

        public KnownSymbols Symbols { get; }

        public TreeGate Trees { get; }

        public ReleaseCalls Releases { get; }

        public AsyncOverlappedFields AsyncFields { get; }

        public HelperVerdicts Helpers { get; }

        /// <summary>Null (the fast path) when no tree names an I/O call or an asynchronous OVERLAPPED.</summary>
        public static ReleaseFacts? TryCreate(Compilation compilation, CancellationToken cancellationToken)
        {
            var trees = TreeGate.Create(compilation, IoCallNames.GateNames, cancellationToken);
            return trees.IsEmpty ? null : new ReleaseFacts(KnownSymbols.Create(compilation), trees, compilation, cancellationToken);
        }

        public OperationPairs PairsFor(AnalyzerOptions options, SyntaxTree tree)
        {
            if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(ConfiguredPair.OptionKey, out var value) || string.IsNullOrWhiteSpace(value))
            {
                return builtInPairs;
            }

            return pairsByOption.GetOrAdd(value, v => new OperationPairs(Symbols, ConfiguredPair.Parse(v)));
        }
    }
}
