using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Options;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// The last step of every fix: simplify the names it generated against the file's usings
    /// (<c>System.Threading.Overlapped.Free</c> → <c>Overlapped.Free</c> under <c>using System.Threading;</c>) and lay out
    /// what it inserted with the document's own options. End of line, indentation style and size come from
    /// <c>.editorconfig</c> when it sets them, else from the file itself — the host's defaults (LF on Linux, four
    /// spaces) would put LF lines into a CRLF file. Both annotations are consumed here, so the host's own clean-up
    /// afterwards has nothing left to redo with its defaults.
    /// </summary>
    internal static class DocumentStyle
    {
        public static async Task<Document> ApplyAsync(Document document, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null
                || (!root.GetAnnotatedNodesAndTokens(Simplifier.Annotation).Any() && !root.GetAnnotatedNodesAndTokens(Formatter.Annotation).Any()))
            {
                return document;
            }

            var options = await OptionsAsync(document, root, cancellationToken).ConfigureAwait(false);
            document = await SpellPointerTypesLikeTheFileAsync(document, root, cancellationToken).ConfigureAwait(false);
            document = await NarrowSimplificationAsync(document, cancellationToken).ConfigureAwait(false);
            // Each step only when it has work: binding a large file again for nothing is what would make Fix All slow.
            if ((await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!.GetAnnotatedNodesAndTokens(Simplifier.Annotation).Any())
            {
                document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, options, cancellationToken).ConfigureAwait(false);
            }

            if ((await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!.GetAnnotatedNodesAndTokens(Formatter.Annotation).Any())
            {
                document = await Formatter.FormatAsync(document, Formatter.Annotation, options, cancellationToken).ConfigureAwait(false);
            }

            root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var annotated = root.GetAnnotatedNodes(Formatter.Annotation).Concat(root.GetAnnotatedNodes(Simplifier.Annotation)).Distinct().ToList();
            root = root.ReplaceNodes(annotated, (_, rewritten) => rewritten.WithoutAnnotations(Formatter.Annotation).WithoutAnnotations(Simplifier.Annotation));
            return document.WithSyntaxRoot(root);
        }

        /// <summary>Applies <see cref="ApplyAsync"/> to every document that <paramref name="changed"/> changed against <paramref name="original"/>.</summary>
        public static async Task<Solution> ApplyAsync(Solution original, Solution changed, CancellationToken cancellationToken)
        {
            foreach (var projectChanges in changed.GetChanges(original).GetProjectChanges())
            {
                foreach (var documentId in projectChanges.GetChangedDocuments())
                {
                    var document = changed.GetDocument(documentId);
                    if (document != null)
                    {
                        var styled = await ApplyAsync(document, cancellationToken).ConfigureAwait(false);
                        changed = styled.Project.Solution;
                    }
                }
            }

            return changed;
        }

        /// <summary>
        /// IntPtr and nint are one type since C# 11, and the simplifier's default turns <c>System.IntPtr.Zero</c> into
        /// <c>nint.Zero</c>, even in a file that says IntPtr everywhere. Unless the file already spells the keyword, a
        /// generated <c>System.IntPtr</c> becomes <c>IntPtr</c> where that name binds to the same type.
        /// </summary>
        private static async Task<Document> SpellPointerTypesLikeTheFileAsync(Document document, SyntaxNode root, CancellationToken cancellationToken)
        {
            var candidates = root.GetAnnotatedNodes(Simplifier.Annotation)
                .SelectMany(n => n.DescendantNodesAndSelf())
                .Where(n => n is QualifiedNameSyntax or MemberAccessExpressionSyntax && n.ToString() is "System.IntPtr" or "System.UIntPtr")
                .ToList();
            var tokens = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToList();
            if (candidates.Count == 0 || (tokens.Any(t => t is "nint" or "nuint") && !tokens.Any(t => t is "IntPtr" or "UIntPtr")))
            {
                return document;
            }

            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                return document;
            }

            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var candidate in candidates)
            {
                var simple = SyntaxFactory.IdentifierName(candidate.ToString().Substring("System.".Length));
                var meant = model.GetSymbolInfo(candidate, cancellationToken).Symbol;
                var bound = model.GetSpeculativeSymbolInfo(candidate.SpanStart, simple, SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol;
                if (meant != null && SymbolEqualityComparer.Default.Equals(meant, bound))
                {
                    replacements[candidate] = simple.WithTriviaFrom(candidate);
                }
            }

            return replacements.Count == 0 ? document : document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
        }

        /// <summary>
        /// Only the qualified names a fix generated are simplified (<c>System.Threading.Overlapped</c>), not every name in
        /// the inserted statement: the simplifier would otherwise also apply its own preferences (IntPtr → nint) to
        /// names the file spells its way.
        /// </summary>
        private static async Task<Document> NarrowSimplificationAsync(Document document, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var annotated = root.GetAnnotatedNodes(Simplifier.Annotation).ToList();
            var qualified = new HashSet<SyntaxNode>(annotated.SelectMany(n => n.DescendantNodesAndSelf()).Where(IsFullyQualified));
            var nodes = annotated.Concat(qualified).Distinct().ToList();
            return document.WithSyntaxRoot(root.ReplaceNodes(nodes, (original, rewritten) =>
            {
                var bare = rewritten.WithoutAnnotations(Simplifier.Annotation);
                return qualified.Contains(original) ? bare.WithAdditionalAnnotations(Simplifier.Annotation) : bare;
            }));
        }

        /// <summary><c>System.X…</c> or <c>global::X…</c>, as a type name or as the left side of a member access.</summary>
        private static bool IsFullyQualified(SyntaxNode node)
        {
            var left = node switch
            {
                QualifiedNameSyntax name => (SyntaxNode)name.Left,
                MemberAccessExpressionSyntax access => access.Expression,
                _ => null,
            };
            while (left is QualifiedNameSyntax or MemberAccessExpressionSyntax)
            {
                left = left is QualifiedNameSyntax q ? q.Left : ((MemberAccessExpressionSyntax)left).Expression;
            }

            return left is AliasQualifiedNameSyntax || left is IdentifierNameSyntax { Identifier.ValueText: "System" };
        }

        /// <summary>The file's line ending: its first one, or the .editorconfig's when the file has none.</summary>
        public static string EndOfLine(SyntaxNode root)
        {
            var existing = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return existing.IsKind(SyntaxKind.EndOfLineTrivia) ? existing.ToString() : "\n";
        }

        private static async Task<OptionSet> OptionsAsync(Document document, SyntaxNode root, CancellationToken cancellationToken)
        {
#pragma warning disable CS0618 // The OptionSet overloads are the ones Roslyn 4.8 offers for Simplifier and Formatter.
            OptionSet options = await document.GetOptionsAsync(cancellationToken).ConfigureAwait(false);
            var config = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            if (!config.TryGetValue("end_of_line", out _))
            {
                options = options.WithChangedOption(FormattingOptions.NewLine, LanguageNames.CSharp, EndOfLine(root));
            }

            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var (useTabs, size) = DetectIndentation(text);
            if (!config.TryGetValue("indent_style", out _) && useTabs.HasValue)
            {
                options = options.WithChangedOption(FormattingOptions.UseTabs, LanguageNames.CSharp, useTabs.Value);
            }

            if (!config.TryGetValue("indent_size", out _) && size.HasValue)
            {
                options = options.WithChangedOption(FormattingOptions.IndentationSize, LanguageNames.CSharp, size.Value);
                options = options.WithChangedOption(FormattingOptions.TabSize, LanguageNames.CSharp, size.Value);
            }

            return options;
#pragma warning restore CS0618
        }

        /// <summary>
        /// Tabs when most indented lines start with a tab; the indentation unit is the most frequent step by which a
        /// line's indentation grows over the previous line's (2, 3, 4 …), the way a reader would see it.
        /// </summary>
        private static (bool? UseTabs, int? Size) DetectIndentation(SourceText text)
        {
            int tabs = 0, spaces = 0, previous = 0;
            var steps = new int[9];
            foreach (var line in text.Lines)
            {
                var content = line.ToString();
                var trimmed = content.TrimStart(' ', '\t');
                if (trimmed.Length == 0 || trimmed.StartsWith("*", System.StringComparison.Ordinal))
                {
                    continue;
                }

                var width = content.Length - trimmed.Length;
                if (width > 0)
                {
                    if (content[0] == '\t')
                    {
                        tabs++;
                    }
                    else
                    {
                        spaces++;
                    }
                }

                if (content.IndexOf('\t', 0, width) < 0 && width > previous && width - previous <= 8)
                {
                    steps[width - previous]++;
                }

                previous = width;
            }

            if (tabs + spaces == 0)
            {
                return (null, null);
            }

            var unit = System.Array.IndexOf(steps, steps.Max());
            return (tabs > spaces, tabs > spaces || steps.Max() == 0 ? null : unit);
        }
    }
}
