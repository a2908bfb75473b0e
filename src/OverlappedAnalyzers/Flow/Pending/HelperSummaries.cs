using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>What a helper method of this compilation does with the overlapped it is handed.</summary>
    internal enum HelperEffect
    {
        /// <summary>The helper neither finishes nor keeps the argument: the caller still owns it.</summary>
        None,

        /// <summary>The helper finishes the argument (calls Complete() or the pair's free on it).</summary>
        Finishes,

        /// <summary>The helper hands the argument on (stores it, passes it to another call): ownership moved.</summary>
        Escapes,
    }

    /// <summary>
    /// One-level summaries of source helpers ("FailOperation(m_inOverlapped)", "ov.CompleteWithError(e)"):
    /// read from the helper's syntax, cached per compilation. Deeper chains are not followed, by design:
    /// a summary never recurses, so a pathological call graph costs one syntax walk per helper.
    /// </summary>
    internal sealed class HelperSummaries
    {
        /// <summary>The parameter ordinal used for the helper's own receiver (<c>this</c>).</summary>
        public const int ThisOrdinal = -1;

        private readonly ConcurrentDictionary<(IMethodSymbol Method, string Member, string Finish), bool> memberCache =
            new ConcurrentDictionary<(IMethodSymbol, string, string), bool>(new MemberKeyComparer());

        private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal, string Finish), HelperEffect> cache =
            new ConcurrentDictionary<(IMethodSymbol, int, string), HelperEffect>(new SummaryKeyComparer());

        public HelperEffect GetEffect(IMethodSymbol method, int ordinal, PairKind kind, ConfiguredPair? configured, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (method.DeclaringSyntaxReferences.IsEmpty)
            {
                return HelperEffect.None;
            }

            var finishName = FinishName(kind, configured);
            return cache.GetOrAdd((method, ordinal, finishName), key => Compute(key.Method, key.Ordinal, key.Finish, cancellationToken));
        }

        /// <summary>
        /// Whether a helper finishes a member of its own type that it reaches by name (<c>m_in.Complete()</c>,
        /// <c>this.m_in.Complete()</c>, <c>handle.FreeNativeOverlapped(m_ptr)</c>) rather than through a parameter.
        /// A finish anywhere in the helper counts: when in doubt, the caller stays silent.
        /// </summary>
        public bool FinishesMember(IMethodSymbol method, string memberName, PairKind kind, ConfiguredPair? configured, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (method.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            var finishName = FinishName(kind, configured);
            return memberCache.GetOrAdd((method, memberName, finishName), key => ComputeFinishesMember(key.Method, key.Member, key.Finish, cancellationToken));
        }

        private static bool ComputeFinishesMember(IMethodSymbol method, string memberName, string finishName, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
                {
                    if (node is InvocationExpressionSyntax invocation && IsFinishOf(invocation, memberName, finishName, thisQualified: true))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string FinishName(PairKind kind, ConfiguredPair? configured) => kind switch
        {
            PairKind.StartOperationConvention => OperationPairs.Complete,
            PairKind.ThreadPoolBoundHandle => "FreeNativeOverlapped",
            PairKind.OverlappedPack => "Free",
            _ => configured?.FinishMethod ?? OperationPairs.Complete,
        };

        private static HelperEffect Compute(IMethodSymbol method, int ordinal, string finishName, CancellationToken cancellationToken)
        {
            string? parameterName = null;
            if (ordinal != ThisOrdinal)
            {
                if (ordinal < 0 || ordinal >= method.Parameters.Length)
                {
                    return HelperEffect.None;
                }

                parameterName = method.Parameters[ordinal].Name;
            }

            var effect = HelperEffect.None;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var body = reference.GetSyntax(cancellationToken);
                foreach (var node in body.DescendantNodes())
                {
                    if (node is InvocationExpressionSyntax invocation && IsFinishOf(invocation, parameterName, finishName))
                    {
                        return HelperEffect.Finishes;
                    }

                    if (parameterName != null && node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == parameterName && IsHandedOn(identifier))
                    {
                        effect = HelperEffect.Escapes;
                    }
                }
            }

            return effect;
        }

        /// <summary><c>p.Complete()</c>, <c>Complete()</c>/<c>this.Complete()</c> for the receiver, or <c>X.Free*(p)</c> (with <paramref name="thisQualified"/>, <c>this.p</c> too).</summary>
        private static bool IsFinishOf(InvocationExpressionSyntax invocation, string? parameterName, string finishName, bool thisQualified = false)
        {
            var arguments = invocation.ArgumentList.Arguments;
            switch (invocation.Expression)
            {
                case IdentifierNameSyntax name when parameterName is null:
                    return name.Identifier.ValueText == finishName && arguments.Count == 0;

                case MemberAccessExpressionSyntax access when access.Name.Identifier.ValueText == finishName:
                    if (parameterName is null)
                    {
                        return access.Expression is ThisExpressionSyntax && arguments.Count == 0;
                    }

                    if (arguments.Count == 0 && Names(access.Expression, parameterName, thisQualified))
                    {
                        return true;
                    }

                    // Pointer pairs free the argument: handle.FreeNativeOverlapped(p), Overlapped.Free(p).
                    return arguments.Count == 1 && Names(arguments[0].Expression, parameterName, thisQualified);

                default:
                    return false;
            }
        }

        /// <summary><c>name</c>, or also <c>this.name</c> when looking for a member of the helper's own type.</summary>
        private static bool Names(ExpressionSyntax expression, string name, bool thisQualified) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member } when thisQualified => member.Identifier.ValueText == name,
            _ => false,
        };

        /// <summary>The parameter itself is stored or passed on (not merely dereferenced).</summary>
        private static bool IsHandedOn(IdentifierNameSyntax identifier)
        {
            var parent = identifier.Parent;
            return parent is ArgumentSyntax
                || (parent is AssignmentExpressionSyntax assignment && assignment.Right == identifier)
                || parent is EqualsValueClauseSyntax
                || parent is ReturnStatementSyntax
                || (parent is InitializerExpressionSyntax && parent.IsKind(SyntaxKind.CollectionInitializerExpression));
        }

        private sealed class MemberKeyComparer : System.Collections.Generic.IEqualityComparer<(IMethodSymbol Method, string Member, string Finish)>
        {
            public bool Equals((IMethodSymbol Method, string Member, string Finish) x, (IMethodSymbol Method, string Member, string Finish) y) =>
                x.Member == y.Member && x.Finish == y.Finish && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

            public int GetHashCode((IMethodSymbol Method, string Member, string Finish) obj) =>
                unchecked((SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Member.GetHashCode());
        }

        private sealed class SummaryKeyComparer : System.Collections.Generic.IEqualityComparer<(IMethodSymbol Method, int Ordinal, string Finish)>
        {
            public bool Equals((IMethodSymbol Method, int Ordinal, string Finish) x, (IMethodSymbol Method, int Ordinal, string Finish) y) =>
                x.Ordinal == y.Ordinal && x.Finish == y.Finish && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

            public int GetHashCode((IMethodSymbol Method, int Ordinal, string Finish) obj) =>
                unchecked((SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal);
        }
    }
}
