using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Fields a type fills, in any member, from <c>AllocateNativeOverlapped</c> or from <c>Pack</c>/<c>UnsafePack</c>
    /// with a callback: the OVERLAPPED the completion port will hand back, so an I/O call given it is asynchronous.
    /// Read from the type's syntax once per type and compilation (a model fact, not a path question).
    /// </summary>
    internal sealed class AsyncOverlappedFields
    {
        private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableHashSet<string>> byType =
            new ConcurrentDictionary<INamedTypeSymbol, ImmutableHashSet<string>>(SymbolEqualityComparer.Default);

        private readonly CancellationToken cancellationToken;

        public AsyncOverlappedFields(CancellationToken cancellationToken)
        {
            this.cancellationToken = cancellationToken;
        }

        public bool IsAsynchronousField(IFieldSymbol field) =>
            byType.GetOrAdd(field.ContainingType.OriginalDefinition, Scan).Contains(field.Name);

        private ImmutableHashSet<string> Scan(INamedTypeSymbol type)
        {
            var names = ImmutableHashSet.CreateBuilder<string>();
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
                {
                    if (node is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                        && IsAsynchronousAllocation(Strip(assignment.Right))
                        && FieldName(assignment.Left) is { } name)
                    {
                        names.Add(name);
                    }
                }
            }

            return names.ToImmutable();
        }

        private static bool IsAsynchronousAllocation(ExpressionSyntax value)
        {
            if (value is not InvocationExpressionSyntax invocation)
            {
                return false;
            }

            var name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                _ => string.Empty,
            };
            switch (name)
            {
                case "AllocateNativeOverlapped":
                case "UnsafeAllocateNativeOverlapped":
                    return true;
                case "Pack":
                case "UnsafePack":
                    // Pack(null, ...) is a synchronous handle's OVERLAPPED: no completion will come through a port.
                    return invocation.ArgumentList.Arguments.Count > 0
                        && !Strip(invocation.ArgumentList.Arguments[0].Expression).IsKind(SyntaxKind.NullLiteralExpression);
                default:
                    return false;
            }
        }

        private static string? FieldName(ExpressionSyntax target) => target switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
            _ => null,
        };

        private static ExpressionSyntax Strip(ExpressionSyntax expression)
        {
            for (var depth = 0; depth < 16; depth++)
            {
                switch (expression)
                {
                    case CastExpressionSyntax cast:
                        expression = cast.Expression;
                        break;
                    case ParenthesizedExpressionSyntax parenthesized:
                        expression = parenthesized.Expression;
                        break;
                    default:
                        return expression;
                }
            }

            return expression;
        }
    }
}
