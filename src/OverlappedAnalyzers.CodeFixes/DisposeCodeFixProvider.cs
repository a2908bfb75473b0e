using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL004, owner case: disposes the forgotten overlapped field at the end of Dispose (inside <c>if (disposing)</c>
    /// for the Dispose(bool) pattern). No fix for a deferral without completion-side free: where the completion
    /// frees a disposed overlapped is a design decision.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeCodeFixProvider))]
    [Shared]
    public sealed class DisposeCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "OVL004.DisposeField";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DisposeSkipsPendingCleanup);

        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DisposeAnalyzer.FieldProperty, out var field) || string.IsNullOrEmpty(field)
                    || FindDispose(root, diagnostic) is null)
                {
                    continue;
                }

                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Dispose '" + field + "' in Dispose",
                        cancellationToken => ApplyAsync(document, new[] { diagnostic }, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false);

        private static async Task<Document> ApplyAsync(Document document, IReadOnlyList<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var additions = new Dictionary<MethodDeclarationSyntax, List<StatementSyntax>>();
            foreach (var diagnostic in diagnostics)
            {
                var method = FindDispose(root, diagnostic);
                if (method is null
                    || !diagnostic.Properties.TryGetValue(DisposeAnalyzer.FieldProperty, out var field)
                    || string.IsNullOrEmpty(field))
                {
                    continue;
                }

                diagnostic.Properties.TryGetValue(DisposeAnalyzer.ConditionalProperty, out var conditional);
                var text = field + (conditional == "true" ? "?.Dispose();" : ".Dispose();");
                if (!additions.TryGetValue(method, out var statements))
                {
                    additions[method] = statements = new List<StatementSyntax>();
                }

                if (!statements.Any(s => s.ToString() == text))
                {
                    statements.Add(SyntaxFactory.ParseStatement(text).WithAdditionalAnnotations(Formatter.Annotation));
                }
            }

            if (additions.Count == 0)
            {
                return document;
            }

            var newRoot = root.ReplaceNodes(additions.Keys, (original, _) => AddStatements(original, additions[original]));
            return await DocumentStyle.ApplyAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        }

        private static MethodDeclarationSyntax? FindDispose(SyntaxNode root, Diagnostic diagnostic)
        {
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            return token.Parent is MethodDeclarationSyntax method && method.Identifier == token && (method.Body != null || method.ExpressionBody != null)
                ? method
                : null;
        }

        private static MethodDeclarationSyntax AddStatements(MethodDeclarationSyntax method, List<StatementSyntax> statements)
        {
            if (method.Body is null)
            {
                // Dispose() => Dispose(true);  becomes a block that runs the expression, then the new statements.
                var expression = SyntaxFactory.ExpressionStatement(method.ExpressionBody!.Expression.WithoutTrivia());
                var body = SyntaxFactory.Block(new StatementSyntax[] { expression }.Concat(OnOwnLines(statements)))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                return method
                    .WithExpressionBody(null)
                    .WithSemicolonToken(default)
                    .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.ElasticMarker))
                    .WithBody(body);
            }

            var target = TargetStatement(method);
            if (target is null)
            {
                return method.WithBody(Append(method.Body, statements));
            }

            return method.ReplaceNode(
                target,
                target.Statement is BlockSyntax block
                    ? target.WithStatement(Append(block, statements))
                    : target.WithStatement(SyntaxFactory.Block(new[] { target.Statement.WithoutTrivia() }.Concat(OnOwnLines(statements))).WithAdditionalAnnotations(Formatter.Annotation)));
        }

        /// <summary>
        /// Where managed resources are released: the <c>if (disposing)</c> of Dispose(bool), else the single
        /// <c>if (!m_disposed) { ... }</c> guarding the whole body (the new call must not run twice).
        /// </summary>
        private static IfStatementSyntax? TargetStatement(MethodDeclarationSyntax method)
        {
            if (method.ParameterList.Parameters.Count == 1)
            {
                var disposing = method.ParameterList.Parameters[0].Identifier.ValueText;
                foreach (var candidate in method.Body!.DescendantNodes().OfType<IfStatementSyntax>())
                {
                    if (candidate.Else is null && candidate.Condition is IdentifierNameSyntax name && name.Identifier.ValueText == disposing)
                    {
                        return candidate;
                    }
                }
            }

            return method.Body!.Statements.Count == 1
                && method.Body.Statements[0] is IfStatementSyntax { Else: null, Statement: BlockSyntax } guard
                && guard.Condition is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression }
                ? guard
                : null;
        }

        private static BlockSyntax Append(BlockSyntax block, List<StatementSyntax> statements)
        {
            var existing = block.Statements;
            var insertAt = existing.Count;
            if (insertAt > 0 && existing[insertAt - 1] is ReturnStatementSyntax)
            {
                insertAt--;
            }

            // A one-line block ({ a(); }) stays on one line; otherwise each new statement gets its own line.
            var text = block.SyntaxTree.GetText();
            var singleLine = text.Lines.GetLineFromPosition(block.OpenBraceToken.SpanStart).LineNumber == text.Lines.GetLineFromPosition(block.CloseBraceToken.SpanStart).LineNumber;
            var added = singleLine ? statements.Select(s => s.WithLeadingTrivia(SyntaxFactory.Space)) : OnOwnLines(statements);
            return block.WithStatements(existing.InsertRange(insertAt, added));
        }

        private static IEnumerable<StatementSyntax> OnOwnLines(IEnumerable<StatementSyntax> statements) =>
            statements.Select(s => s.WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker));
    }
}
