using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// Shared edit helpers: put a statement just before or after another one, keeping the anchor's comments
    /// and indentation, and wrapping an embedded statement (<c>if (x) throw ...;</c>) in a block when needed.
    /// </summary>
    internal static class StatementInsertion
    {
        /// <summary>Parses the statement to insert and marks it for simplification (fully qualified names) and formatting.</summary>
        public static StatementSyntax Parse(string text) =>
            SyntaxFactory.ParseStatement(text).WithAdditionalAnnotations(Simplifier.Annotation);

        public static bool CanInsertAround(StatementSyntax anchor) =>
            anchor.Parent is BlockSyntax or SwitchSectionSyntax or IfStatementSyntax or ElseClauseSyntax or WhileStatementSyntax
                or ForStatementSyntax or ForEachStatementSyntax or UsingStatementSyntax or LockStatementSyntax or DoStatementSyntax or FixedStatementSyntax;

        /// <summary>Returns <paramref name="root"/> with <paramref name="inserted"/> placed before (or after) <paramref name="anchor"/>.</summary>
        public static SyntaxNode Insert(SyntaxNode root, StatementSyntax anchor, StatementSyntax inserted, bool before)
        {
            var endOfLine = EndOfLine(root);
            if (anchor.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                var indentation = Indentation(anchor);
                if (before)
                {
                    // The anchor's comments move up with the new first statement; the anchor keeps its indentation.
                    var first = inserted.WithLeadingTrivia(anchor.GetLeadingTrivia()).WithTrailingTrivia(endOfLine);
                    return root.ReplaceNode(anchor, new SyntaxNode[] { first, anchor.WithLeadingTrivia(indentation) });
                }

                var second = inserted.WithLeadingTrivia(indentation).WithTrailingTrivia(anchor.GetTrailingTrivia());
                var anchorWithNewLine = anchor.WithTrailingTrivia(endOfLine);
                return root.ReplaceNode(anchor, new SyntaxNode[] { anchorWithNewLine, second });
            }

            // An embedded statement: make it a block holding both, then let the formatter lay it out.
            var statements = (before ? new[] { inserted, anchor } : new[] { anchor, inserted })
                .Select(s => s.WithoutTrivia().WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker));
            var block = SyntaxFactory.Block(statements)
                .WithLeadingTrivia(anchor.GetLeadingTrivia())
                .WithTrailingTrivia(anchor.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(anchor, block);
        }

        private static SyntaxTriviaList Indentation(SyntaxNode node)
        {
            var leading = node.GetLeadingTrivia();
            var whitespace = leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            return SyntaxFactory.TriviaList(whitespace);
        }

        /// <summary>The document's own line ending, so a fix never mixes \r\n and \n.</summary>
        public static SyntaxTrivia EndOfLine(SyntaxNode root)
        {
            var existing = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return existing.IsKind(SyntaxKind.EndOfLineTrivia) ? existing : SyntaxFactory.CarriageReturnLineFeed;
        }
    }
}
