using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL006: move the <c>StartOperation</c> statement to just before the statement whose native call receives
    /// the OVERLAPPED, so the operation is in progress before any completion can be dequeued. Offered only when
    /// both statements sit in the same statement list (otherwise the move would change what else runs).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveStartBeforeCallCodeFixProvider)), Shared]
    public sealed class MoveStartBeforeCallCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "OVL006.MoveStartBeforeCall";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.OperationStartedAfterIoCall);

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
                if (diagnostic.AdditionalLocations.Count == 0
                    || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan)
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } start
                    || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<StatementSyntax>() is not { } call
                    || start.Parent is not BlockSyntax block
                    || call.Parent != block
                    || call.SpanStart >= start.SpanStart)
                {
                    continue;
                }

                var title = diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FixTitleProperty, out var t) && t != null ? t : "Start the operation before the native call";
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(Move(root, block, start, call))), EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>The start takes the call's place (and its comments); the call keeps its indentation after it.</summary>
        private static SyntaxNode Move(SyntaxNode root, BlockSyntax block, StatementSyntax start, StatementSyntax call)
        {
            var statements = block.Statements;
            var startIndex = statements.IndexOf(start);
            var callIndex = statements.IndexOf(call);
            var indentation = call.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.WhitespaceTrivia)).Reverse();
            var movedStart = start.WithLeadingTrivia(call.GetLeadingTrivia());
            var reordered = new System.Collections.Generic.List<StatementSyntax>(statements.Count);
            for (var i = 0; i < statements.Count; i++)
            {
                if (i == callIndex)
                {
                    reordered.Add(movedStart);
                    reordered.Add(call.WithLeadingTrivia(indentation));
                }
                else if (i != startIndex)
                {
                    reordered.Add(statements[i]);
                }
            }

            return root.ReplaceNode(block, block.WithStatements(Microsoft.CodeAnalysis.CSharp.SyntaxFactory.List(reordered)));
        }
    }
}
