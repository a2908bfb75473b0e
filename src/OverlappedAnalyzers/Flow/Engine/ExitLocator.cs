using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Maps exits of the control-flow graph back to the syntax RULES.md reports on: the throw or return
    /// statement, the [DoesNotReturn] call, or — when a path falls off the end of the method — the last
    /// statement of the branch that established the failure (its condition when that branch is empty).
    /// Lowering erases <c>return;</c> in void methods, which is why fall-off and void returns share a rule.
    /// </summary>
    internal static class ExitLocator
    {
        /// <summary>The throw statement or expression whose exception the block's branch value is.</summary>
        public static SyntaxNode? ThrowSyntax(BasicBlock block)
        {
            var node = block.BranchValue?.Syntax;
            for (var current = node; current != null; current = current.Parent)
            {
                if (current is ThrowStatementSyntax or ThrowExpressionSyntax)
                {
                    return current;
                }

                if (current is StatementSyntax)
                {
                    break;
                }
            }

            return node;
        }

        /// <summary>The <c>throw;</c> of a rethrow block: the first rethrow after the block's last operation in its catch clause.</summary>
        public static SyntaxNode? RethrowSyntax(BasicBlock block, ControlFlowGraph graph)
        {
            var anchor = block.Operations.LastOrDefault()?.Syntax;
            var catchClause = anchor?.FirstAncestorOrSelf<CatchClauseSyntax>() ?? CatchClauseOf(block, graph);
            var rethrows = catchClause?.Block
                .DescendantNodes(descendIntoChildren: n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or CatchClauseSyntax))
                .OfType<ThrowStatementSyntax>()
                .Where(t => t.Expression is null);
            return rethrows?.FirstOrDefault(t => anchor is null || t.SpanStart >= anchor.Span.End) ?? rethrows?.FirstOrDefault() ?? (SyntaxNode?)catchClause;
        }

        /// <summary>The catch clause a handler region was lowered from: found through any syntax of its try region.</summary>
        private static CatchClauseSyntax? CatchClauseOf(BasicBlock block, ControlFlowGraph graph)
        {
            var handler = block.EnclosingRegion;
            while (handler != null && handler.Kind != ControlFlowRegionKind.Catch && handler.Kind != ControlFlowRegionKind.FilterAndHandler)
            {
                handler = handler.EnclosingRegion;
            }

            if (handler?.EnclosingRegion is { Kind: ControlFlowRegionKind.FilterAndHandler } filterAndHandler)
            {
                handler = filterAndHandler;
            }

            var tryAndCatch = handler?.EnclosingRegion;
            if (handler is null || tryAndCatch is null || tryAndCatch.Kind != ControlFlowRegionKind.TryAndCatch)
            {
                return null;
            }

            var tryRegion = tryAndCatch.NestedRegions[0];
            for (var ordinal = tryRegion.FirstBlockOrdinal; ordinal <= tryRegion.LastBlockOrdinal; ordinal++)
            {
                var tryBlock = graph.Blocks[ordinal];
                var syntax = tryBlock.Operations.FirstOrDefault()?.Syntax ?? tryBlock.BranchValue?.Syntax;
                var tryStatement = syntax?.Ancestors().OfType<TryStatementSyntax>().FirstOrDefault(t => t.Block.Span.Contains(syntax.Span));
                if (tryStatement != null)
                {
                    var index = tryAndCatch.NestedRegions.IndexOf(handler) - 1;
                    return index >= 0 && index < tryStatement.Catches.Count ? tryStatement.Catches[index] : null;
                }
            }

            return null;
        }

        /// <summary>The return statement that returns the block's branch value.</summary>
        public static SyntaxNode? ReturnSyntax(BasicBlock block)
        {
            for (var current = block.BranchValue?.Syntax; current != null; current = current.Parent)
            {
                if (current is ReturnStatementSyntax or ArrowExpressionClauseSyntax)
                {
                    return current;
                }

                if (current is StatementSyntax or MemberDeclarationSyntax)
                {
                    break;
                }
            }

            return block.BranchValue?.Syntax;
        }

        /// <summary>
        /// A <c>return;</c> of a void method, which lowering turns into a plain branch to the exit: the return that
        /// follows the source block's last statement, or the one a conditional branch (<c>if (...) return;</c>,
        /// <c>case X: return;</c>) starts with. Null when the path really falls off the end.
        /// </summary>
        public static ReturnStatementSyntax? VoidReturnSyntax(BasicBlock source, ControlFlowBranch branch)
        {
            SyntaxNode? next;
            if (branch.IsConditionalSuccessor || source.Operations.IsEmpty)
            {
                var condition = source.BranchValue?.Syntax;
                if (condition is null)
                {
                    return null;
                }

                var takenWhenTrue = branch.IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
                next = FirstStatement(BranchStatement(condition, takenWhenTrue));
            }
            else
            {
                next = StatementAfter(source.Operations[source.Operations.Length - 1].Syntax.FirstAncestorOrSelf<StatementSyntax>());
            }

            return next is ReturnStatementSyntax { Expression: null } voidReturn ? voidReturn : null;
        }

        /// <summary>The statement control reaches after <paramref name="statement"/> completes, leaving blocks and ifs (not loops).</summary>
        private static StatementSyntax? StatementAfter(StatementSyntax? statement)
        {
            for (var current = statement; current != null;)
            {
                var siblings = current.Parent switch
                {
                    BlockSyntax block => block.Statements,
                    SwitchSectionSyntax section => section.Statements,
                    _ => default(SyntaxList<StatementSyntax>?),
                };
                if (siblings is { } list)
                {
                    var index = list.IndexOf(current);
                    if (index >= 0 && index + 1 < list.Count)
                    {
                        return list[index + 1];
                    }

                    if (current.Parent is SwitchSectionSyntax)
                    {
                        return null;
                    }
                }

                current = current.Parent switch
                {
                    BlockSyntax { Parent: StatementSyntax parentStatement } when parentStatement is BlockSyntax or IfStatementSyntax => parentStatement,
                    BlockSyntax { Parent: ElseClauseSyntax { Parent: IfStatementSyntax elseOwner } } => elseOwner,
                    IfStatementSyntax ifStatement => ifStatement,
                    ElseClauseSyntax { Parent: IfStatementSyntax owner } => owner,
                    _ => null,
                };
            }

            return null;
        }

        private static SyntaxNode? FirstStatement(SyntaxNode? branch)
        {
            for (var depth = 0; depth < 16; depth++)
            {
                switch (branch)
                {
                    case BlockSyntax block:
                        branch = block.Statements.FirstOrDefault();
                        break;
                    case SwitchSectionSyntax section:
                        branch = section.Statements.FirstOrDefault();
                        break;
                    default:
                        return branch;
                }
            }

            return branch;
        }

        /// <summary>The statement that calls a [DoesNotReturn] method.</summary>
        public static SyntaxNode DoesNotReturnSyntax(IOperation call) =>
            call.Syntax.FirstAncestorOrSelf<StatementSyntax>() is ExpressionStatementSyntax statement && statement.Expression.Span.Contains(call.Syntax.Span)
                ? statement
                : call.Syntax;

        /// <summary>Where a fall-off exit is reported: the last statement of the failure branch, or its condition.</summary>
        public static SyntaxNode? FallOffSyntax(ControlFlowBranch failureBranch)
        {
            var source = failureBranch.Source;
            var condition = source.BranchValue?.Syntax;
            if (condition is null)
            {
                return null;
            }

            var takenWhenTrue = failureBranch.IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
            var branch = BranchStatement(condition, takenWhenTrue);
            return branch is null ? condition : LastStatement(branch) ?? condition;
        }

        private static SyntaxNode? BranchStatement(SyntaxNode condition, bool outcome)
        {
            // Walk out of parentheses, negations and && / || to the if statement that tests the condition.
            // Inside && and || the failure comparison is nearly always the deciding operand, so the outcome carries over.
            var node = condition;
            while (node.Parent is ParenthesizedExpressionSyntax
                || node.Parent.IsKind(SyntaxKind.LogicalNotExpression)
                || node.Parent.IsKind(SyntaxKind.LogicalAndExpression)
                || node.Parent.IsKind(SyntaxKind.LogicalOrExpression))
            {
                if (node.Parent.IsKind(SyntaxKind.LogicalNotExpression))
                {
                    outcome = !outcome;
                }

                node = node.Parent!;
            }

            switch (node.Parent)
            {
                case IfStatementSyntax ifStatement when ifStatement.Condition == node:
                    return outcome ? ifStatement.Statement : ifStatement.Else?.Statement;

                case CaseSwitchLabelSyntax or CasePatternSwitchLabelSyntax when outcome:
                    return node.Parent.Parent;

                case CaseSwitchLabelSyntax or CasePatternSwitchLabelSyntax:
                    return node.Parent.Parent?.Parent is SwitchStatementSyntax switchStatement
                        ? switchStatement.Sections.FirstOrDefault(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax))
                        : null;

                default:
                    return null;
            }
        }

        private static SyntaxNode? LastStatement(SyntaxNode branch) => branch switch
        {
            BlockSyntax block => block.Statements.LastOrDefault(),
            SwitchSectionSyntax section => section.Statements.LastOrDefault() is BlockSyntax inner ? inner.Statements.LastOrDefault() ?? inner : section.Statements.LastOrDefault(),
            _ => branch,
        };
    }
}
