using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// Lent or given: a value passed to native code (a P/Invoke, a delegate, a function pointer) may be lent for the
    /// call (<c>ReadFile(h, buffer, …)</c>) or handed over for good (<c>PostQueuedCompletionStatus(port, 0, key, block)</c>,
    /// a callback context, a buffer an asynchronous read fills later) — the signature does not say which. The code does:
    /// a caller that frees the value, or hands it to an owner (a SafeHandle, a field, a collection, its own caller),
    /// unconditionally after the call — later in the same block or an enclosing one, or in the finally of a try around
    /// it — still owns it during the call, so every path must free it; a caller whose only releases are conditional (in
    /// the branch that handles the call's failure, in a catch) or missing gave it away, and the analysis stays silent.
    /// This reads the author's statement of ownership from the structure of the code; whether every path then frees is
    /// answered on the graph.
    /// </summary>
    internal static class LentValues
    {
        private const int MaxDepth = 64;

        /// <summary>
        /// Turns each <see cref="OwnershipEffectKind.Lend"/> that no free, escape or transfer of the same holder follows
        /// unconditionally into an <see cref="OwnershipEffectKind.Escape"/>; returns the holders so given away.
        /// </summary>
        public static HashSet<int> ResolveLends(List<OwnershipEffect>[] perBlock, SyntaxNode root)
        {
            var releaseSyntax = new Dictionary<int, List<SyntaxNode>>();
            foreach (var effect in perBlock.SelectMany(e => e))
            {
                if (effect.Kind is OwnershipEffectKind.Free or OwnershipEffectKind.Escape or OwnershipEffectKind.Transfer)
                {
                    if (!releaseSyntax.TryGetValue(effect.Key, out var list))
                    {
                        releaseSyntax[effect.Key] = list = new List<SyntaxNode>();
                    }

                    list.Add(effect.Operation.Syntax);
                }
            }

            var given = new HashSet<int>();
            foreach (var effects in perBlock)
            {
                for (var i = 0; i < effects.Count; i++)
                {
                    var effect = effects[i];
                    if (effect.Kind == OwnershipEffectKind.Lend
                        && !(releaseSyntax.TryGetValue(effect.Key, out var releases) && CallerReleasesAfter(effect.Operation.Syntax, releases, root)))
                    {
                        effects[i] = effect.WithKind(OwnershipEffectKind.Escape);
                        given.Add(effect.Key);
                    }
                }
            }

            return given;
        }

        /// <summary>Whether one of <paramref name="releases"/> (frees, hand-offs) runs unconditionally after the call lending the value at <paramref name="lend"/>.</summary>
        private static bool CallerReleasesAfter(SyntaxNode lend, IEnumerable<SyntaxNode> releases, SyntaxNode root)
        {
            var lendStatement = lend.FirstAncestorOrSelf<StatementSyntax>();
            if (lendStatement is null)
            {
                return false;
            }

            foreach (var release in releases)
            {
                if (release.SpanStart > lend.Span.End && IsUnconditionalAfter(release, lendStatement, root))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Walks up from the release to the first node that also contains the lending statement; every step must be unconditional.</summary>
        private static bool IsUnconditionalAfter(SyntaxNode release, StatementSyntax lendStatement, SyntaxNode root)
        {
            SyntaxNode? child = release.FirstAncestorOrSelf<StatementSyntax>();
            if (child is null || !root.Span.Contains(child.Span))
            {
                return false;
            }

            for (var depth = 0; depth < MaxDepth && child != root; depth++)
            {
                var parent = child.Parent;
                if (parent is null)
                {
                    return false;
                }

                if (parent.Span.Contains(lendStatement.Span))
                {
                    // The common ancestor: statements in sequence, or a finally after its try.
                    return parent switch
                    {
                        BlockSyntax or SwitchSectionSyntax => true,
                        TryStatementSyntax tryStatement => child == tryStatement.Finally,
                        _ => false,
                    };
                }

                if (!IsUnconditionalStep(parent, child, release))
                {
                    return false;
                }

                child = parent;
            }

            return false;
        }

        private static bool IsUnconditionalStep(SyntaxNode parent, SyntaxNode child, SyntaxNode release) => parent switch
        {
            BlockSyntax or FinallyClauseSyntax or LabeledStatementSyntax or CheckedStatementSyntax or UnsafeStatementSyntax => true,
            TryStatementSyntax tryStatement => child == tryStatement.Block || child == tryStatement.Finally,
            FixedStatementSyntax fixedStatement => child == fixedStatement.Statement,
            LockStatementSyntax lockStatement => child == lockStatement.Statement,
            UsingStatementSyntax usingStatement => child == usingStatement.Statement,

            // if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);: a free guarded by "it holds something" is the unconditional free.
            IfStatementSyntax ifStatement => child == ifStatement.Statement && ifStatement.Else is null && IsHoldsSomethingTest(ifStatement.Condition, release),
            _ => false,
        };

        private static bool IsHoldsSomethingTest(ExpressionSyntax condition, SyntaxNode release)
        {
            string? tested = condition switch
            {
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } binary when IsEmptyValue(binary.Right) => IdentifierOf(binary.Left),
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } binary when IsEmptyValue(binary.Left) => IdentifierOf(binary.Right),
                MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsAllocated" } access => IdentifierOf(access.Expression),
                _ => null,
            };
            if (tested is null)
            {
                return false;
            }

            foreach (var identifier in release.DescendantNodesAndSelf())
            {
                if (identifier is IdentifierNameSyntax name && name.Identifier.ValueText == tested)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsEmptyValue(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero" } => true,
            LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression) || literal.Token.Value is 0,
            DefaultExpressionSyntax => true,
            _ => false,
        };

        private static string? IdentifierOf(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
            _ => null,
        };
    }
}
