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
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL006: move the <c>StartOperation</c> statement to just before the statement whose native call receives
    /// the OVERLAPPED, so the operation is in progress before any completion can be dequeued. Offered only when
    /// both statements sit in the same statement list (otherwise the move would change what else runs).
    /// The move puts the start in front of the call's synchronous-failure exits, which used to run before it: left
    /// alone they would now leave it in progress (the incident's leak, OVL001 on the next build). So the fix analyses
    /// the moved code once more and finishes the start on each such exit, exactly as the OVL001 fix would.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveStartBeforeCallCodeFixProvider)), Shared]
    public sealed class MoveStartBeforeCallCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "OVL006.MoveStartBeforeCall";

        private static readonly FixAllProvider FixAll = new SolutionEditFixAllProvider("Start every operation before its native call", ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.OperationStartedAfterIoCall);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (FindMove(root, diagnostic) is null)
                {
                    continue;
                }

                var title = diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FixTitleProperty, out var t) && t != null ? t : "Start the operation before the native call";
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => ApplyAsync(document.Project.Solution, new[] { (document, ImmutableArray.Create(diagnostic)) }, cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>Moves every start, then finishes each moved start on the failure exits the move put after it.</summary>
        internal static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<(Document Document, ImmutableArray<Diagnostic> Diagnostics)> work, CancellationToken cancellationToken)
        {
            var original = solution;
            var moved = new Dictionary<DocumentId, SyntaxAnnotation>();
            foreach (var (document, diagnostics) in work)
            {
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null)
                {
                    continue;
                }

                var marker = new SyntaxAnnotation();
                var moves = diagnostics.Select(d => FindMove(root, d)).Where(m => m != null).Select(m => m!.Value).Distinct().ToList();
                if (moves.Count == 0)
                {
                    continue;
                }

                root = root.TrackNodes(moves.SelectMany(m => new SyntaxNode[] { m.Start, m.Call }));
                foreach (var (start, call) in moves)
                {
                    if (root.GetCurrentNode(start) is { } currentStart && root.GetCurrentNode(call) is { } currentCall && currentStart.Parent is BlockSyntax block && currentCall.Parent == block)
                    {
                        root = Move(root, block, currentStart, currentCall, marker);
                    }
                }

                solution = solution.WithDocumentSyntaxRoot(document.Id, root);
                moved[document.Id] = marker;
            }

            var exits = new List<(Document, ImmutableArray<Diagnostic>)>();
            foreach (var project in moved.Keys.Select(id => id.ProjectId).Distinct())
            {
                var documents = moved.Keys.Where(id => id.ProjectId == project).Select(solution.GetDocument).Where(d => d != null).ToList();
                foreach (var document in documents)
                {
                    var leaks = await ExitsLeftByMoveAsync(document!, moved[document!.Id], cancellationToken).ConfigureAwait(false);
                    if (!leaks.IsEmpty)
                    {
                        exits.Add((document, leaks));
                    }
                }
            }

            solution = await CompleteBeforeExitCodeFixProvider.ApplyAsync(solution, exits, cancellationToken).ConfigureAwait(false);
            return await DocumentStyle.ApplyAsync(original, solution, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The OVL001 findings, after the move, whose start is one of the moved starts.</summary>
        private static async Task<ImmutableArray<Diagnostic>> ExitsLeftByMoveAsync(Document document, SyntaxAnnotation marker, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || compilation is null)
            {
                return ImmutableArray<Diagnostic>.Empty;
            }

            var starts = root.GetAnnotatedNodes(marker).Select(n => n.Span).ToList();
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new SyncFailureAnalyzer());
            var withAnalyzers = compilation.WithAnalyzers(analyzers, document.Project.AnalyzerOptions);
            var model = compilation.GetSemanticModel(root.SyntaxTree);
            var diagnostics = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, cancellationToken).ConfigureAwait(false);
            var found = ImmutableArray.CreateBuilder<Diagnostic>();
            var seen = new HashSet<(Microsoft.CodeAnalysis.Text.TextSpan, string?)>();
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Id == RuleIdentifiers.OperationNotCompletedOnSyncFailure
                    && diagnostic.AdditionalLocations.Count > 0
                    && starts.Any(s => s.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
                    && seen.Add((diagnostic.Location.SourceSpan, diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FinishStatementProperty, out var finish) ? finish : null)))
                {
                    found.Add(diagnostic);
                }
            }

            return found.ToImmutable();
        }

        private static (StatementSyntax Start, StatementSyntax Call)? FindMove(SyntaxNode root, Diagnostic diagnostic)
        {
            if (diagnostic.Id != RuleIdentifiers.OperationStartedAfterIoCall
                || diagnostic.AdditionalLocations.Count == 0
                || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)
                || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } start
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<StatementSyntax>() is not { } call
                || start.Parent is not BlockSyntax block
                || call.Parent != block
                || call.SpanStart >= start.SpanStart)
            {
                return null;
            }

            return (start, call);
        }

        /// <summary>
        /// The start moves just above the call, taking the blank lines above the call; comments stay with the statement they
        /// describe (the call's above the call, the start's above the start), and the blank lines the start leaves behind go
        /// to the statement after it.
        /// </summary>
        private static SyntaxNode Move(SyntaxNode root, BlockSyntax block, StatementSyntax start, StatementSyntax call, SyntaxAnnotation marker)
        {
            var statements = block.Statements;
            var startIndex = statements.IndexOf(start);
            var callIndex = statements.IndexOf(call);
            var (startBlank, startRest) = SplitBlankLines(start.GetLeadingTrivia());
            var (callBlank, callRest) = SplitBlankLines(call.GetLeadingTrivia());
            var movedStart = start.WithLeadingTrivia(callBlank.AddRange(startRest)).WithAdditionalAnnotations(marker);
            var reordered = new List<StatementSyntax>(statements.Count);
            for (var i = 0; i < statements.Count; i++)
            {
                if (i == callIndex)
                {
                    reordered.Add(movedStart);
                    reordered.Add(call.WithLeadingTrivia(callRest));
                }
                else if (i == startIndex + 1 && i != callIndex && SplitBlankLines(statements[i].GetLeadingTrivia()).Blank.Count == 0)
                {
                    reordered.Add(statements[i].WithLeadingTrivia(startBlank.AddRange(statements[i].GetLeadingTrivia())));
                }
                else if (i != startIndex)
                {
                    reordered.Add(statements[i]);
                }
            }

            return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(reordered)));
        }

        /// <summary>The whole blank lines that open a leading trivia, and the rest (comments, directives, indentation).</summary>
        private static (SyntaxTriviaList Blank, SyntaxTriviaList Remainder) SplitBlankLines(SyntaxTriviaList leading)
        {
            var end = 0;
            for (var i = 0; i < leading.Count && (leading[i].IsKind(SyntaxKind.WhitespaceTrivia) || leading[i].IsKind(SyntaxKind.EndOfLineTrivia)); i++)
            {
                if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    end = i + 1;
                }
            }

            return (SyntaxFactory.TriviaList(leading.Take(end)), SyntaxFactory.TriviaList(leading.Skip(end)));
        }
    }
}
