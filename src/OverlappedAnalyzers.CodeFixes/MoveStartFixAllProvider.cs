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
    /// Fix All for OVL006. Not the batch fixer: every start is moved first, then the moved code is analysed once and
    /// the exits the moves uncovered are finished in one edit (which may add one Complete() to a type in another document).
    /// </summary>
    internal sealed class MoveStartFixAllProvider : FixAllProvider
    {
        public static readonly MoveStartFixAllProvider Instance = new MoveStartFixAllProvider();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var work = await FixAllDocuments.CollectAsync(fixAllContext).ConfigureAwait(false);
            var solution = fixAllContext.Solution;
            return CodeAction.Create(
                "Start every operation before its native call",
                cancellationToken => MoveStartBeforeCallCodeFixProvider.ApplyAsync(solution, work, cancellationToken),
                fixAllContext.CodeActionEquivalenceKey);
        }
    }
}
