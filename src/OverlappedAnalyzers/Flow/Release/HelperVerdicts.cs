using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Two questions about a method of the compilation called on a failure path, read from its syntax once per
    /// compilation: does it itself ask whether the error is ERROR_IO_PENDING (a <c>ThrowLastWSAError()</c> that returns
    /// quietly on 997 answers the question for its caller), and does it throw on every path (then its call is a throw)?
    /// One level only, never recursing: a pathological call graph costs one syntax walk per helper.
    /// </summary>
    internal sealed class HelperVerdicts
    {
        private readonly ConcurrentDictionary<IMethodSymbol, (bool AsksPending, bool AlwaysThrows)> cache =
            new ConcurrentDictionary<IMethodSymbol, (bool, bool)>(SymbolEqualityComparer.Default);

        private readonly CancellationToken cancellationToken;

        public HelperVerdicts(CancellationToken cancellationToken)
        {
            this.cancellationToken = cancellationToken;
        }

        public bool AsksPending(IMethodSymbol method) => Get(method).AsksPending;

        public bool AlwaysThrows(IMethodSymbol method) => Get(method).AlwaysThrows;

        private (bool AsksPending, bool AlwaysThrows) Get(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            return method.DeclaringSyntaxReferences.IsEmpty ? (false, false) : cache.GetOrAdd(method, Compute);
        }

        private (bool, bool) Compute(IMethodSymbol method)
        {
            var asksPending = false;
            var alwaysThrows = true;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax(cancellationToken);
                var (body, expressionBody) = declaration switch
                {
                    BaseMethodDeclarationSyntax m => (m.Body, m.ExpressionBody),
                    LocalFunctionStatementSyntax f => (f.Body, f.ExpressionBody),
                    _ => (null, null),
                };
                if (body is null && expressionBody is null)
                {
                    return (false, false);
                }

                SyntaxNode root = (SyntaxNode?)body ?? expressionBody!;
                foreach (var node in root.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
                {
                    switch (node)
                    {
                        case LiteralExpressionSyntax literal when literal.Token.Value is int value && value == 997:
                        case IdentifierNameSyntax identifier when IsPendingName(identifier.Identifier.ValueText):
                            asksPending = true;
                            break;
                        case ReturnStatementSyntax or YieldStatementSyntax:
                            alwaysThrows = false;
                            break;
                    }
                }

                if (expressionBody != null)
                {
                    alwaysThrows &= expressionBody.Expression is ThrowExpressionSyntax;
                }
                else
                {
                    alwaysThrows &= body!.Statements.Count > 0 && body.Statements[body.Statements.Count - 1] is ThrowStatementSyntax;
                }
            }

            return (asksPending, alwaysThrows && !asksPending);
        }

        private static bool IsPendingName(string name) =>
            name is "IOPending" or "IoPending" or "ERROR_IO_PENDING" or "WSA_IO_PENDING" or "ErrorIoPending" or "WsaIoPending";
    }
}
