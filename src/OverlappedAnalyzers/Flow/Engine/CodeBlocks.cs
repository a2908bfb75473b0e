using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// The executable code blocks of a syntax tree, as the driver would hand them to a code-block action: method,
    /// constructor, destructor and operator declarations, accessors, expression-bodied properties and indexers, and
    /// the top-level statements of a compilation unit. Local functions and lambdas belong to their block (their graphs
    /// come from its graph). Only declarations are walked, never bodies, so the walk costs a tree's outline.
    /// </summary>
    internal static class CodeBlocks
    {
        public static IEnumerable<SyntaxNode> In(SyntaxNode root)
        {
            var pending = new Stack<SyntaxNode>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                switch (node)
                {
                    case CompilationUnitSyntax unit:
                        if (HasTopLevelStatements(unit))
                        {
                            yield return unit;
                        }

                        PushMembers(pending, unit.Members);
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        PushMembers(pending, ns.Members);
                        break;
                    case TypeDeclarationSyntax type:
                        PushMembers(pending, type.Members);
                        break;
                    case BaseMethodDeclarationSyntax method when method.Body != null || method.ExpressionBody != null:
                        yield return method;
                        break;
                    case BasePropertyDeclarationSyntax property:
                        foreach (var block in PropertyBlocks(property))
                        {
                            yield return block;
                        }

                        break;
                }
            }
        }

        private static IEnumerable<SyntaxNode> PropertyBlocks(BasePropertyDeclarationSyntax property)
        {
            var expressionBody = property switch
            {
                PropertyDeclarationSyntax p => p.ExpressionBody,
                IndexerDeclarationSyntax i => i.ExpressionBody,
                _ => null,
            };
            if (expressionBody != null)
            {
                yield return expressionBody;
            }

            if (property.AccessorList is { } accessors)
            {
                foreach (var accessor in accessors.Accessors)
                {
                    if (accessor.Body != null || accessor.ExpressionBody != null)
                    {
                        yield return accessor;
                    }
                }
            }
        }

        private static bool HasTopLevelStatements(CompilationUnitSyntax unit)
        {
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax)
                {
                    return true;
                }
            }

            return false;
        }

        private static void PushMembers(Stack<SyntaxNode> pending, SyntaxList<MemberDeclarationSyntax> members)
        {
            // Reverse, so blocks come out in source order (diagnostics are sorted anyway; this keeps debugging sane).
            for (var i = members.Count - 1; i >= 0; i--)
            {
                pending.Push(members[i]);
            }
        }
    }
}
