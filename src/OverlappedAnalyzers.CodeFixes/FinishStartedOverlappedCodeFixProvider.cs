using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>OVL002: finish the overlapped that was started (<c>m_inOverlapped.Complete()</c> instead of <c>m_outOverlapped.Complete()</c>).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FinishStartedOverlappedCodeFixProvider)), Shared]
    public sealed class FinishStartedOverlappedCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "OVL002.FinishStartedOverlapped";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.WrongOverlappedCompleted);

        /// <summary>
        /// Every fix of a document in one edit. Not the batch fixer: that one keeps only the actions whose equivalence key
        /// matches the one it was given, and dotnet format takes that key from the first diagnostic the analyzer reported,
        /// which may belong to another rule (OVL001 of the same analyzer): no key, no fix.
        /// </summary>
        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) => await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (Replacement(root, diagnostic) is null)
                {
                    continue;
                }

                var title = diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FixTitleProperty, out var t) && t != null ? t : "Finish the started overlapped";
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => ApplyAsync(document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var diagnostic in diagnostics)
            {
                if (Replacement(root, diagnostic) is { } replacement)
                {
                    replacements[replacement.Wrong] = replacement.Started;
                }
            }

            return replacements.Count == 0 ? document : document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
        }

        /// <summary>The wrong receiver in the finish call the diagnostic points at, and the started one to put there.</summary>
        private static (ExpressionSyntax Wrong, ExpressionSyntax Started)? Replacement(SyntaxNode root, Diagnostic diagnostic)
        {
            if (diagnostic.Id != RuleIdentifiers.WrongOverlappedCompleted
                || !diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.StartedReceiverProperty, out var started) || string.IsNullOrEmpty(started)
                || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
                || WrongReceiver(call) is not { } wrong)
            {
                return null;
            }

            return (wrong, SyntaxFactory.ParseExpression(started!).WithTriviaFrom(wrong));
        }

        /// <summary>The receiver of <c>x.Complete()</c>, or the pointer handed to <c>FreeNativeOverlapped(p)</c> / <c>Overlapped.Free(p)</c>.</summary>
        private static ExpressionSyntax? WrongReceiver(InvocationExpressionSyntax call)
        {
            if (call.ArgumentList.Arguments.Count == 1)
            {
                return call.ArgumentList.Arguments[0].Expression;
            }

            return call.Expression is MemberAccessExpressionSyntax access ? access.Expression : null;
        }
    }
}
