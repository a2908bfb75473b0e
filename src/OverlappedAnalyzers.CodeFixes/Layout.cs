using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// What a hand-laid edit copies from the file around it: a line's indentation, one indentation step, the brace
    /// style. Used where the fix lays text out itself so that one fix and Fix All give the same text.
    /// </summary>
    internal static class Layout
    {
        /// <summary>The whitespace that starts the line of the node's first token.</summary>
        public static string LineIndentation(SyntaxNode node) => LineIndentation(node.GetFirstToken());

        public static string LineIndentation(SyntaxToken token)
        {
            var line = token.SyntaxTree!.GetText().Lines.GetLineFromPosition(token.SpanStart).ToString();
            return line.Substring(0, line.Length - line.TrimStart(' ', '\t').Length);
        }

        /// <summary>Whether only whitespace precedes the token on its line.</summary>
        public static bool OnOwnLine(SyntaxToken token)
        {
            var text = token.SyntaxTree!.GetText();
            var line = text.Lines.GetLineFromPosition(token.SpanStart);
            return string.IsNullOrWhiteSpace(text.ToString(TextSpan.FromBounds(line.Start, token.SpanStart)));
        }

        /// <summary>One indentation step as the type's methods use it (a body statement against its method), else a tab or four spaces.</summary>
        public static string IndentationUnit(TypeDeclarationSyntax? type, string memberIndentation)
        {
            foreach (var method in type?.Members.OfType<BaseMethodDeclarationSyntax>() ?? Enumerable.Empty<BaseMethodDeclarationSyntax>())
            {
                if (method.Body is { Statements.Count: > 0 } body && OnOwnLine(body.Statements[0].GetFirstToken()))
                {
                    var outer = LineIndentation(method);
                    var inner = LineIndentation(body.Statements[0]);
                    if (inner.Length > outer.Length && inner.StartsWith(outer, System.StringComparison.Ordinal))
                    {
                        return inner.Substring(outer.Length);
                    }
                }
            }

            return memberIndentation.StartsWith("\t", System.StringComparison.Ordinal) ? "\t" : "    ";
        }

        /// <summary>Whether the type's multi-line method bodies open their brace on a line of its own (the C# default when none says).</summary>
        public static bool BracesOnOwnLine(TypeDeclarationSyntax? type)
        {
            var body = type?.Members.OfType<BaseMethodDeclarationSyntax>().Select(m => m.Body).FirstOrDefault(b => b != null && OnOwnLine(b.CloseBraceToken));
            return body is null || OnOwnLine(body.OpenBraceToken);
        }
    }
}
