using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Tests.Engine
{
    /// <summary>
    /// The text gate as it was before the search plan (one vectorized pass per identifier over each 16K chunk), kept
    /// verbatim as the reference the equivalence property compares the plan-driven gate with: the answers must not move.
    /// </summary>
    internal static class LegacyTextGate
    {
        private const int ChunkSize = 16 * 1024;

        public static bool ContainsAnyIdentifier(SourceText text, TextSpan span, ImmutableArray<string> identifiers)
        {
            if (identifiers.IsDefaultOrEmpty || span.Length == 0)
            {
                return false;
            }

            var maxLength = 0;
            foreach (var identifier in identifiers)
            {
                maxLength = Math.Max(maxLength, identifier.Length);
            }

            var chunk = new char[ChunkSize];
            var position = span.Start;
            while (true)
            {
                var length = Math.Min(ChunkSize, span.End - position);
                text.CopyTo(position, chunk, 0, length);
                var window = new ReadOnlySpan<char>(chunk, 0, length);
                foreach (var identifier in identifiers)
                {
                    if (ContainsWord(text, window, position, identifier))
                    {
                        return true;
                    }
                }

                if (position + length >= span.End || length <= maxLength)
                {
                    return false;
                }

                position += length - (maxLength - 1);
            }
        }

        private static bool ContainsWord(SourceText text, ReadOnlySpan<char> window, int windowStart, string identifier)
        {
            var offset = 0;
            while (offset + identifier.Length <= window.Length)
            {
                var found = window.Slice(offset).IndexOf(identifier.AsSpan(), StringComparison.Ordinal);
                if (found < 0)
                {
                    return false;
                }

                var start = offset + found;
                var end = start + identifier.Length;
                var before = start > 0 ? window[start - 1] : CharAt(text, windowStart + start - 1);
                var after = end < window.Length ? window[end] : CharAt(text, windowStart + end);
                if (!IsIdentifierChar(before) && !IsIdentifierChar(after))
                {
                    return true;
                }

                offset = start + 1;
            }

            return false;
        }

        private static char CharAt(SourceText text, int position) =>
            position >= 0 && position < text.Length ? text[position] : ' ';

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
