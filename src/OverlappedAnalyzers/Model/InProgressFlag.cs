using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The in-progress flag an overlapped type's StartOperation sets (<c>InProgress = true;</c>), which the Complete()
    /// the OVL001 fix adds must clear. Upstream AsyncIO's StartOperation(op) forwards to StartOperation(op, buffer),
    /// where the flag is set: calls on the type itself (<c>StartOperation(op, null)</c>, <c>this.Begin()</c>) are
    /// followed. Syntax and symbols only (no semantic model of another tree from an analyzer); when the flag cannot be
    /// named with certainty, <see cref="NoFixReason"/> says why and no Complete() is synthesized.
    /// </summary>
    internal sealed class InProgressFlag
    {
        /// <summary>How many forwarding calls are followed; AsyncIO needs one.</summary>
        private const int MaxDepth = 4;

        private InProgressFlag(string? name, string? noFixReason)
        {
            Name = name;
            NoFixReason = noFixReason;
        }

        /// <summary>The flag's member name, when exactly one bool member of the type is set to true.</summary>
        public string? Name { get; }

        /// <summary>Why no flag was identified, in a sentence a user can act on.</summary>
        public string? NoFixReason { get; }

        public static InProgressFlag Find(IMethodSymbol startMethod, CancellationToken cancellationToken)
        {
            var type = startMethod.ContainingType;
            if (type is null || startMethod.DeclaringSyntaxReferences.IsEmpty)
            {
                return new InProgressFlag(null, "the overlapped type is not in source, so no Complete() can be added to it");
            }

            var flags = new HashSet<string>();
            var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            Visit(startMethod.OriginalDefinition, type, flags, visited, 0, cancellationToken);
            return flags.Count switch
            {
                1 => new InProgressFlag(flags.First(), null),
                0 => new InProgressFlag(null, "'" + type.Name + "." + startMethod.Name + "' (and the methods of the type it calls) sets no bool field or property of the type to true, so the flag a Complete() must clear is unknown"),
                _ => new InProgressFlag(null, "'" + type.Name + "." + startMethod.Name + "' sets several bool members to true (" + string.Join(", ", flags.OrderBy(f => f, System.StringComparer.Ordinal)) + "), so the flag a Complete() must clear is ambiguous"),
            };
        }

        private static void Visit(IMethodSymbol method, INamedTypeSymbol type, HashSet<string> flags, HashSet<IMethodSymbol> visited, int depth, CancellationToken cancellationToken)
        {
            if (depth > MaxDepth || !visited.Add(method))
            {
                return;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var body = reference.GetSyntax(cancellationToken) switch
                {
                    MethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
                    _ => null,
                };
                if (body is null)
                {
                    continue;
                }

                foreach (var node in body.DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax)))
                {
                    switch (node)
                    {
                        case AssignmentExpressionSyntax assignment
                            when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right.IsKind(SyntaxKind.TrueLiteralExpression)
                                && MemberName(assignment.Left) is { } name && IsBoolMember(type, name):
                            flags.Add(name);
                            break;
                        case InvocationExpressionSyntax invocation when MemberName(invocation.Expression) is { } callee:
                            foreach (var candidate in Callees(type, callee, invocation.ArgumentList.Arguments.Count))
                            {
                                Visit(candidate, type, flags, visited, depth + 1, cancellationToken);
                            }

                            break;
                    }
                }
            }
        }

        /// <summary><c>X</c> or <c>this.X</c>: a member of the type itself, never of another object.</summary>
        private static string? MemberName(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax name } => name.Identifier.ValueText,
            _ => null,
        };

        private static bool IsBoolMember(INamedTypeSymbol type, string name) =>
            type.GetMembers(name).Any(m => !m.IsStatic && m switch
            {
                IFieldSymbol field => field.Type.SpecialType == SpecialType.System_Boolean,
                IPropertySymbol property => property.Type.SpecialType == SpecialType.System_Boolean && property.SetMethod != null,
                _ => false,
            });

        /// <summary>Every instance method of the type with that name that accepts that many arguments (overload resolution is not needed: all are followed).</summary>
        private static IEnumerable<IMethodSymbol> Callees(INamedTypeSymbol type, string name, int argumentCount) =>
            type.GetMembers(name).OfType<IMethodSymbol>().Where(m =>
                !m.IsStatic
                && argumentCount <= m.Parameters.Length + (m.Parameters.LastOrDefault()?.IsParams == true ? int.MaxValue / 2 : 0)
                && argumentCount >= m.Parameters.Count(p => !p.IsOptional && !p.IsParams));
    }
}
