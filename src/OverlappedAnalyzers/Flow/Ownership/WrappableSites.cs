using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// The local allocations the try/finally code fix can handle: one allocation into a single-variable declaration
    /// of a block, never handed on (lent to native code is fine), freed only by plain statements of that same block after
    /// the declaration.
    /// </summary>
    internal static class WrappableSites
    {
        public static void Find(OwnershipEffects effects, int blockCount, OwnershipResult result)
        {
            for (var k = 0; k < effects.Keys.Count; k++)
            {
                if (effects.IsMember(k))
                {
                    continue;
                }

                var keySites = effects.Sites.Where(s => effects.KeyOfSite(s.Index) == k).ToList();
                if (keySites.Count != 1 || keySites[0].Operation.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax block } declaration
                    || declaration.Declaration.Variables.Count != 1)
                {
                    continue;
                }

                if (Enumerable.Range(0, blockCount).SelectMany(effects.EffectsOf).All(effect => IsPlainFreeAfter(effect, k, block, declaration)))
                {
                    result.WrappableSites.Add(keySites[0]);
                }
            }
        }

        private static bool IsPlainFreeAfter(OwnershipEffect effect, int key, BlockSyntax block, LocalDeclarationStatementSyntax declaration) =>
            effect.Key != key
            || effect.Kind is OwnershipEffectKind.Alloc or OwnershipEffectKind.Lend
            || (effect.Kind == OwnershipEffectKind.Free
                && effect.Operation.Syntax.FirstAncestorOrSelf<ExpressionStatementSyntax>() is { } statement
                && statement.Parent == block
                && statement.SpanStart >= declaration.Span.End);
    }
}
