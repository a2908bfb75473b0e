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
                    // A comment describes the statement it precedes, so it stays with the anchor: the new statement takes
                    // the blank lines above the comment and the anchor's indentation. Under a directive (#if) the anchor's
                    // whole leading trivia stays above both, so the new statement is compiled exactly when the anchor is.
                    var (above, anchorLeading) = SplitAtComment(anchor.GetLeadingTrivia());
                    var first = inserted.WithLeadingTrivia(above.AddRange(indentation)).WithTrailingTrivia(endOfLine);
                    return root.ReplaceNode(anchor, new SyntaxNode[] { first, anchor.WithLeadingTrivia(anchorLeading) });
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

        /// <summary>
        /// Splits a statement's leading trivia into what goes above an inserted statement and what the statement keeps:
        /// without comments, everything but the indentation goes above; with comments, the lines from the first comment on
        /// stay with the statement; with a directive, everything goes above.
        /// </summary>
        private static (SyntaxTriviaList Above, SyntaxTriviaList Kept) SplitAtComment(SyntaxTriviaList leading)
        {
            var whitespace = leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Count();
            var indentation = SyntaxFactory.TriviaList(leading.Skip(leading.Count - whitespace));
            if (leading.Any(t => t.IsDirective))
            {
                return (SyntaxFactory.TriviaList(leading.Take(leading.Count - whitespace)), indentation);
            }

            var firstComment = -1;
            for (var i = 0; i < leading.Count; i++)
            {
                if (leading[i].IsKind(SyntaxKind.SingleLineCommentTrivia) || leading[i].IsKind(SyntaxKind.MultiLineCommentTrivia)
                    || leading[i].IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || leading[i].IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                {
                    firstComment = i;
                    break;
                }
            }

            if (firstComment < 0)
            {
                return (SyntaxFactory.TriviaList(leading.Take(leading.Count - whitespace)), indentation);
            }

            // The comment's own line starts after the end of line before it (or at the start of the trivia).
            var lineStart = firstComment;
            while (lineStart > 0 && leading[lineStart - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                lineStart--;
            }

            return (SyntaxFactory.TriviaList(leading.Take(lineStart)), SyntaxFactory.TriviaList(leading.Skip(lineStart)));
        }

        private static SyntaxTriviaList Indentation(SyntaxNode node)
        {
            var leading = node.GetLeadingTrivia();
            var whitespace = leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            return SyntaxFactory.TriviaList(whitespace);
        }

        /// <summary>The document's own line ending, so a fix never mixes \r\n and \n.</summary>
        public static SyntaxTrivia EndOfLine(SyntaxNode root) => SyntaxFactory.EndOfLine(DocumentStyle.EndOfLine(root));
    }
}
