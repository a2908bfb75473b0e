using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// Fix All for OVL001. Not the batch fixer: several diagnostics may each want to add the same Complete()
    /// to an overlapped type in another document, and that edit must happen exactly once.
    /// </summary>
    internal sealed class CompleteBeforeExitFixAllProvider : FixAllProvider
    {
        public static readonly CompleteBeforeExitFixAllProvider Instance = new CompleteBeforeExitFixAllProvider();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var work = await FixAllDocuments.CollectAsync(fixAllContext).ConfigureAwait(false);
            var solution = fixAllContext.Solution;
            return CodeAction.Create(
                "Finish every started overlapped before its leaking exit",
                cancellationToken => CompleteBeforeExitCodeFixProvider.ApplyAsync(solution, work, cancellationToken),
                fixAllContext.CodeActionEquivalenceKey);
        }
    }
}
