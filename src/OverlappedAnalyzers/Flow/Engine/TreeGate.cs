using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// The compilation-start fast path: the syntax trees whose text mentions one of a rule's gate identifiers.
    /// Type-existence checks never say no on .NET (every reference set holds GCHandle, Marshal and
    /// ThreadPoolBoundHandle), but code without overlapped I/O never names a start or an allocator, so a rule
    /// whose gate finds no tree registers nothing, and one that finds some skips every other tree before any
    /// binding. One vectorized scan per tree per compilation; nothing outlives the compilation.
    /// </summary>
    internal sealed class TreeGate
    {
        private readonly ImmutableHashSet<SyntaxTree> trees;

        private TreeGate(ImmutableHashSet<SyntaxTree> trees)
        {
            this.trees = trees;
        }

        /// <summary>True when no tree can hold the pattern: the rule registers nothing for this compilation.</summary>
        public bool IsEmpty => trees.IsEmpty;

        public static TreeGate Create(Compilation compilation, ImmutableArray<string> identifiers, CancellationToken cancellationToken)
        {
            var builder = ImmutableHashSet.CreateBuilder<SyntaxTree>();
            var search = IdentifierSearch.For(identifiers);
            foreach (var tree in compilation.SyntaxTrees)
            {
                var text = tree.GetText(cancellationToken);
                if (TextGate.ContainsAnyIdentifier(text, new TextSpan(0, text.Length), search))
                {
                    builder.Add(tree);
                }
            }

            return new TreeGate(builder.ToImmutable());
        }

        public bool Contains(SyntaxTree tree) => trees.Contains(tree);

        /// <summary>
        /// A type is worth analyzing when one of its declarations (partial parts included) is in a gated tree and
        /// itself names one of the identifiers: a type that never names an allocator cannot allocate, even when
        /// another type of its file does.
        /// </summary>
        public bool Mentions(IEnumerable<SyntaxReference> declarations, ImmutableArray<string> identifiers, CancellationToken cancellationToken)
        {
            foreach (var declaration in declarations)
            {
                if (trees.Contains(declaration.SyntaxTree)
                    && TextGate.ContainsAnyIdentifier(declaration.SyntaxTree.GetText(cancellationToken), declaration.Span, identifiers))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
