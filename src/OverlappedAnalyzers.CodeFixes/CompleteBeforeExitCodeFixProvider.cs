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
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL001: finish the started overlapped just before the leaking exit (<c>m_inOverlapped.Complete();</c>,
    /// <c>handle.FreeNativeOverlapped(p);</c>, <c>Overlapped.Free(p);</c>). For an overlapped type without
    /// Complete() (upstream AsyncIO) the fix also adds one that clears the flag StartOperation sets.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CompleteBeforeExitCodeFixProvider)), Shared]
    public sealed class CompleteBeforeExitCodeFixProvider : CodeFixProvider
    {
        internal const string EquivalenceKey = "OVL001.FinishBeforeExit";

        private static readonly FixAllProvider FixAll = new SolutionEditFixAllProvider("Finish every started overlapped before its leaking exit", ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.OperationNotCompletedOnSyncFailure);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (root is null || diagnostic.Id != RuleIdentifiers.OperationNotCompletedOnSyncFailure || FindAnchor(root, diagnostic) is null)
                {
                    continue;
                }

                if (NeedsComplete(diagnostic)
                    && await CompleteMethodSynthesis.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is null)
                {
                    // Adding a Complete() whose body we would have to guess is not a fix (the diagnostic's NoFixReason says why).
                    continue;
                }

                var title = diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FixTitleProperty, out var t) && t != null ? t : "Finish the overlapped before leaving";
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        title,
                        cancellationToken => ApplyAsync(document.Project.Solution, new[] { (document, ImmutableArray.Create(diagnostic)) }, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>Applies every fixable diagnostic; edits to one document are made on one tree, each Complete() added once.</summary>
        internal static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<(Document Document, ImmutableArray<Diagnostic> Diagnostics)> work, CancellationToken cancellationToken)
        {
            var original = solution;
            var exitEdits = new Dictionary<DocumentId, List<(StatementSyntax Anchor, bool Before, string Statement)>>();
            var typeEdits = new Dictionary<DocumentId, List<CompleteMethodSynthesis>>();
            var synthesizedTypes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);

            foreach (var (document, diagnostics) in work)
            {
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null)
                {
                    continue;
                }

                foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
                {
                    var anchor = diagnostic.Id == RuleIdentifiers.OperationNotCompletedOnSyncFailure ? FindAnchor(root, diagnostic) : null;
                    if (anchor is null || !diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.FinishStatementProperty, out var statement) || string.IsNullOrEmpty(statement))
                    {
                        continue;
                    }

                    if (NeedsComplete(diagnostic))
                    {
                        var synthesis = await CompleteMethodSynthesis.FindAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
                        if (synthesis is null)
                        {
                            continue;
                        }

                        if (synthesizedTypes.Add(synthesis.Type))
                        {
                            GetOrAdd(typeEdits, synthesis.DocumentId).Add(synthesis);
                        }
                    }

                    GetOrAdd(exitEdits, document.Id).Add((anchor.Value.Anchor, anchor.Value.Before, statement!));
                }
            }

            foreach (var documentId in exitEdits.Keys.Union(typeEdits.Keys).ToList())
            {
                var document = solution.GetDocument(documentId);
                var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null)
                {
                    continue;
                }

                exitEdits.TryGetValue(documentId, out var exits);
                typeEdits.TryGetValue(documentId, out var types);
                var tracked = new List<SyntaxNode>();
                tracked.AddRange(exits?.Select(e => (SyntaxNode)e.Anchor) ?? Enumerable.Empty<SyntaxNode>());
                tracked.AddRange(types?.Select(t => (SyntaxNode)t.Declaration) ?? Enumerable.Empty<SyntaxNode>());
                root = root.TrackNodes(tracked);

                foreach (var (anchor, before, statement) in exits ?? Enumerable.Empty<(StatementSyntax, bool, string)>())
                {
                    var current = root.GetCurrentNode(anchor);
                    if (current != null)
                    {
                        root = StatementInsertion.Insert(root, current, StatementInsertion.Parse(statement), before);
                    }
                }

                foreach (var synthesis in types ?? Enumerable.Empty<CompleteMethodSynthesis>())
                {
                    var current = root.GetCurrentNode(synthesis.Declaration);
                    if (current != null)
                    {
                        root = root.ReplaceNode(current, CompleteMethodSynthesis.AddTo(current, synthesis.Flag, DocumentStyle.EndOfLine(root)));
                    }
                }

                solution = solution.WithDocumentSyntaxRoot(documentId, root);
            }

            return await DocumentStyle.ApplyAsync(original, solution, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The statement to insert next to: before a throw, return or non-returning call; after the last statement of a branch.</summary>
        private static (StatementSyntax Anchor, bool Before)? FindAnchor(SyntaxNode root, Diagnostic diagnostic)
        {
            if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                return null;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var statement = node as StatementSyntax ?? (node.Parent as ExpressionStatementSyntax);
            if (statement is null || statement.Span != diagnostic.Location.SourceSpan && node is not InvocationExpressionSyntax || !StatementInsertion.CanInsertAround(statement))
            {
                return null;
            }

            // At the end of a failure branch the finish goes after the last statement, unless that statement leaves.
            var before = statement is ThrowStatementSyntax or ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax
                || statement.IsKind(SyntaxKind.YieldBreakStatement)
                || !diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.ExitKindProperty, out var exitKind)
                || exitKind != "EndOfBranch";
            return (statement, before);
        }

        private static bool NeedsComplete(Diagnostic diagnostic) =>
            diagnostic.Properties.ContainsKey(SyncFailureAnalyzer.AddCompleteProperty) && diagnostic.AdditionalLocations.Count > 0;

        private static List<T> GetOrAdd<T>(Dictionary<DocumentId, List<T>> map, DocumentId id)
        {
            if (!map.TryGetValue(id, out var list))
            {
                list = new List<T>();
                map.Add(id, list);
            }

            return list;
        }
    }
}
