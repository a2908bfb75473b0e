using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// Deterministic source mutations: a mutant is a function of (seed, index, input) only, never of thread
    /// scheduling, so any failure is reproduced by re-running that one index. Token edits produce the broken
    /// code an IDE analyzes while the user types; statement edits keep the code well-formed so the analyzers
    /// get past their "half-typed code" bail-outs and exercise the path engine on unusual shapes.
    /// </summary>
    internal static class Mutator
    {
        private static readonly string[] InsertedTokens =
        {
            "{", "}", ";", "(", ")", "throw", "return", "=>", "!", "not", "is", "goto", "default", "case", "await", "yield",
            "null", "997", "?", ":", "==", "!=", "&&", "||", "=", ",", ".", "new", "ref", "out", "stackalloc", "unsafe",
        };

        private static readonly string[] Operators = Enum.GetNames(typeof(MutationKind));

        public enum MutationKind
        {
            DeleteToken,
            DuplicateToken,
            SwapTokens,
            InsertToken,
            Truncate,
            DropBracesAndSemicolons,
            RenameMember,
            DeleteStatement,
            DuplicateStatement,
            SwapStatements,
            FlipComparison,
            ReplaceLiteral,
        }

        /// <summary>Applies one to three mutations; <paramref name="applied"/> names them, for the failure report.</summary>
        public static string Mutate(string text, Random random, out string applied)
        {
            var count = 1 + random.Next(3);
            var names = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var kind = (MutationKind)random.Next(Operators.Length);
                text = Apply(kind, text, random);
                names.Add(kind.ToString());
            }

            applied = string.Join(", ", names);
            return text;
        }

        public static string Apply(MutationKind kind, string text, Random random)
        {
            var root = CSharpSyntaxTree.ParseText(text, References.ParseOptions).GetRoot();
            var tokens = root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();
            if (tokens.Count == 0)
            {
                return text;
            }

            switch (kind)
            {
                case MutationKind.DeleteToken:
                    return ReplaceToken(text, tokens[random.Next(tokens.Count)], string.Empty);

                case MutationKind.DuplicateToken:
                    var duplicated = tokens[random.Next(tokens.Count)];
                    return ReplaceToken(text, duplicated, duplicated.Text + " " + duplicated.Text);

                case MutationKind.SwapTokens:
                    if (tokens.Count < 2)
                    {
                        return text;
                    }

                    var first = random.Next(tokens.Count - 1);
                    var second = random.Next(2) == 0 ? first + 1 : random.Next(tokens.Count);
                    return SwapSpans(text, tokens[first].Span, tokens[second].Span);

                case MutationKind.InsertToken:
                    var anchor = tokens[random.Next(tokens.Count)];
                    return text.Insert(anchor.SpanStart, InsertedTokens[random.Next(InsertedTokens.Length)] + " ");

                case MutationKind.Truncate:
                    return text.Substring(0, random.Next(text.Length + 1));

                case MutationKind.DropBracesAndSemicolons:
                    var droppable = tokens.Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken) || t.IsKind(SyntaxKind.SemicolonToken)).ToList();
                    var drops = droppable.Where(_ => random.Next(droppable.Count) < 1 + random.Next(3)).Select(t => t.Span).ToList();
                    return RemoveSpans(text, drops);

                case MutationKind.RenameMember:
                    return Rename(text, tokens, random);

                case MutationKind.DeleteStatement:
                    return EditStatement(text, root, random, (statement, source) => source.Remove(statement.FullSpan.Start, statement.FullSpan.Length));

                case MutationKind.DuplicateStatement:
                    return EditStatement(text, root, random, (statement, source) => source.Insert(statement.FullSpan.End, statement.ToFullString()));

                case MutationKind.SwapStatements:
                    var blocks = root.DescendantNodes().OfType<BlockSyntax>().Where(b => b.Statements.Count >= 2).ToList();
                    if (blocks.Count == 0)
                    {
                        return text;
                    }

                    var block = blocks[random.Next(blocks.Count)];
                    var at = random.Next(block.Statements.Count - 1);
                    return SwapSpans(text, block.Statements[at].Span, block.Statements[at + 1].Span);

                case MutationKind.FlipComparison:
                    var comparisons = tokens.Where(t => t.IsKind(SyntaxKind.ExclamationEqualsToken) || t.IsKind(SyntaxKind.EqualsEqualsToken) || t.IsKind(SyntaxKind.NotKeyword)).ToList();
                    if (comparisons.Count == 0)
                    {
                        return text;
                    }

                    var flipped = comparisons[random.Next(comparisons.Count)];
                    return ReplaceToken(text, flipped, flipped.Kind() switch
                    {
                        SyntaxKind.ExclamationEqualsToken => "==",
                        SyntaxKind.EqualsEqualsToken => "!=",
                        _ => string.Empty,
                    });

                case MutationKind.ReplaceLiteral:
                    var literals = tokens.Where(t => t.IsKind(SyntaxKind.NumericLiteralToken) || t.IsKind(SyntaxKind.TrueKeyword) || t.IsKind(SyntaxKind.FalseKeyword)).ToList();
                    if (literals.Count == 0)
                    {
                        return text;
                    }

                    var values = new[] { "997", "0", "-1", "10054", "int.MaxValue", "(int)SocketError.IOPending", "true", "false" };
                    return ReplaceToken(text, literals[random.Next(literals.Count)], values[random.Next(values.Length)]);

                default:
                    return text;
            }
        }

        private static string ReplaceToken(string text, SyntaxToken token, string replacement) =>
            text.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, replacement);

        private static string SwapSpans(string text, Microsoft.CodeAnalysis.Text.TextSpan a, Microsoft.CodeAnalysis.Text.TextSpan b)
        {
            if (a.OverlapsWith(b) || a == b)
            {
                return text;
            }

            if (a.Start > b.Start)
            {
                (a, b) = (b, a);
            }

            var builder = new StringBuilder(text.Length);
            builder.Append(text, 0, a.Start);
            builder.Append(text, b.Start, b.Length);
            builder.Append(text, a.End, b.Start - a.End);
            builder.Append(text, a.Start, a.Length);
            builder.Append(text, b.End, text.Length - b.End);
            return builder.ToString();
        }

        private static string RemoveSpans(string text, List<Microsoft.CodeAnalysis.Text.TextSpan> spans)
        {
            foreach (var span in spans.OrderByDescending(s => s.Start))
            {
                text = text.Remove(span.Start, span.Length);
            }

            return text;
        }

        /// <summary>Renames every occurrence of one identifier: to a fresh name, or to another name of the file (collisions are interesting).</summary>
        private static string Rename(string text, List<SyntaxToken> tokens, Random random)
        {
            var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
            if (identifiers.Count == 0)
            {
                return text;
            }

            var from = identifiers[random.Next(identifiers.Count)].ValueText;
            var to = random.Next(2) == 0 ? identifiers[random.Next(identifiers.Count)].ValueText : from + "_r" + random.Next(100);
            return RemoveAndReplace(text, identifiers.Where(t => t.ValueText == from).Select(t => t.Span), to);
        }

        private static string RemoveAndReplace(string text, IEnumerable<Microsoft.CodeAnalysis.Text.TextSpan> spans, string replacement)
        {
            foreach (var span in spans.OrderByDescending(s => s.Start))
            {
                text = text.Remove(span.Start, span.Length).Insert(span.Start, replacement);
            }

            return text;
        }

        private static string EditStatement(string text, SyntaxNode root, Random random, Func<StatementSyntax, string, string> edit)
        {
            var statements = root.DescendantNodes().OfType<StatementSyntax>().Where(s => s.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax).ToList();
            return statements.Count == 0 ? text : edit(statements[random.Next(statements.Count)], text);
        }
    }
}
