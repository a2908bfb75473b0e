using System.Collections.Immutable;
using System.Composition;
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

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.StartedReceiverProperty, out var started) || string.IsNullOrEmpty(started)
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
                    || WrongReceiver(call) is not { } wrong)
                {
                    continue;
                }

                var title = diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FixTitleProperty, out var t) && t != null ? t : "Finish the started overlapped";
                var replacement = SyntaxFactory.ParseExpression(started!).WithTriviaFrom(wrong);
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(wrong, replacement))), EquivalenceKey),
                    diagnostic);
            }
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
