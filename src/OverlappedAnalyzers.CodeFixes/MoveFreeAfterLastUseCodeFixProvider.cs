using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL008: move the free statement to just after the last statement of its block that still names what it frees.
    /// Offered only when that is unambiguous: the free and the use sit in the same block, the use names the freed
    /// variable itself (not a copy), and nothing in between leaves the block (return, throw, break, continue, goto,
    /// yield — the moved free would be skipped there) or gives the variable a new value (the moved free would free that).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveFreeAfterLastUseCodeFixProvider)), Shared]
    public sealed class MoveFreeAfterLastUseCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "OVL008.MoveFreeAfterLastUse";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UsedAfterFree);

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
                if (diagnostic.AdditionalLocations.Count == 0 || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
                {
                    continue;
                }

                var use = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var free = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (free?.Parent is not ExpressionStatementSyntax freeStatement
                    || freeStatement.Parent is not BlockSyntax block
                    || FreedName(free) is not { } name
                    || !Mentions(use, name)
                    || LastUseIndex(block, freeStatement, use, name) is not { } lastUse)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Free '" + name + "' after its last use",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Move(root, block, freeStatement, lastUse))),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>The identifier the free names: <c>p</c> in <c>Overlapped.Free(p)</c>, <c>Marshal.FreeHGlobal((IntPtr)p)</c>, <c>h</c> in <c>h.Free()</c>.</summary>
        private static string? FreedName(InvocationExpressionSyntax free)
        {
            var operand = free.ArgumentList.Arguments.Count == 1
                ? free.ArgumentList.Arguments[0].Expression
                : free.ArgumentList.Arguments.Count == 0 && free.Expression is MemberAccessExpressionSyntax access ? access.Expression : null;
            while (operand is CastExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                operand = operand is CastExpressionSyntax cast ? cast.Expression : ((ParenthesizedExpressionSyntax)operand).Expression;
            }

            return operand switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
                _ => null,
            };
        }

        /// <summary>The index of the last statement after the free that names the variable, when moving the free there is safe.</summary>
        private static int? LastUseIndex(BlockSyntax block, StatementSyntax freeStatement, SyntaxNode use, string name)
        {
            var statements = block.Statements;
            var freeIndex = statements.IndexOf(freeStatement);
            var useStatement = use.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
            if (useStatement is null || statements.IndexOf(useStatement) <= freeIndex)
            {
                return null;
            }

            int? last = null;
            for (var i = freeIndex + 1; i < statements.Count; i++)
            {
                if (Mentions(statements[i], name))
                {
                    last = i;
                }
            }

            for (var i = freeIndex + 1; last != null && i <= last; i++)
            {
                if (LeavesOrRewrites(statements[i], name))
                {
                    return null;
                }
            }

            return last;
        }

        private static bool Mentions(SyntaxNode node, string name) =>
            node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name);

        private static bool LeavesOrRewrites(StatementSyntax statement, string name)
        {
            foreach (var node in statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax:
                        return true;
                    case AssignmentExpressionSyntax assignment when Mentions(assignment.Left, name):
                        return true;
                    case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) && Mentions(argument.Expression, name):
                        return true;
                    case InvocationExpressionSyntax invocation when invocation != null && IsFreeOf(invocation, name):
                        return true;
                }
            }

            return false;
        }

        private static bool IsFreeOf(InvocationExpressionSyntax invocation, string name)
        {
            var method = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                _ => string.Empty,
            };
            return method.IndexOf("Free", System.StringComparison.Ordinal) >= 0 && FreedName(invocation) == name;
        }

        private static SyntaxNode Move(SyntaxNode root, BlockSyntax block, StatementSyntax freeStatement, int lastUse)
        {
            var statements = block.Statements;
            var freeIndex = statements.IndexOf(freeStatement);
            var moved = freeStatement;
            var reordered = new List<StatementSyntax>(statements.Count);
            for (var i = 0; i < statements.Count; i++)
            {
                if (i == freeIndex)
                {
                    continue;
                }

                // The free slips in where the next statement began (after its blank line), the next statement keeps the free's own spacing.
                if (i == lastUse + 1)
                {
                    moved = freeStatement.WithLeadingTrivia(statements[i].GetLeadingTrivia());
                    reordered.Add(moved);
                    reordered.Add(statements[i].WithLeadingTrivia(freeStatement.GetLeadingTrivia()));
                    continue;
                }

                reordered.Add(statements[i]);
                if (i == lastUse && i == statements.Count - 1)
                {
                    reordered.Add(moved);
                }
            }

            return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(reordered)));
        }
    }
}
