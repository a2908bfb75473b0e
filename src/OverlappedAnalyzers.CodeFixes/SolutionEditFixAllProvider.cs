using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// Fix All for the fixes whose edits cross documents (OVL001 may add one Complete() to an overlapped type elsewhere;
    /// OVL006 moves every start, then finishes the exits the moves uncovered). Not the batch fixer, which would merge
    /// per-diagnostic edits and repeat a shared one: every diagnostic of the scope is handed to one solution-wide edit.
    /// </summary>
    internal sealed class SolutionEditFixAllProvider : FixAllProvider
    {
        private readonly string title;
        private readonly Func<Solution, IEnumerable<(Document Document, ImmutableArray<Diagnostic> Diagnostics)>, CancellationToken, Task<Solution>> apply;

        public SolutionEditFixAllProvider(
            string title,
            Func<Solution, IEnumerable<(Document Document, ImmutableArray<Diagnostic> Diagnostics)>, CancellationToken, Task<Solution>> apply)
        {
            this.title = title;
            this.apply = apply;
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var work = await FixAllDocuments.CollectAsync(fixAllContext).ConfigureAwait(false);
            var solution = fixAllContext.Solution;
            return CodeAction.Create(
                title,
                cancellationToken => apply(solution, work, cancellationToken),
                fixAllContext.CodeActionEquivalenceKey);
        }
    }
}
