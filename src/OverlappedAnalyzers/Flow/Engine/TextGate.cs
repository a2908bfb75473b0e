using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// The cheapest possible first question: does this text contain one of these identifiers at all? It runs
    /// before any binding, so code without overlapped I/O costs one scan of its characters and no semantic work.
    /// False hits (a comment, "Pack" in another API) only cost the real check; an identifier spelled with a
    /// Unicode escape or split by a preprocessor trick is not seen, as no real code does that.
    /// </summary>
    internal static class TextGate
    {
        private const int ChunkSize = 16 * 1024;

        [ThreadStatic]
        private static char[]? buffer;

        public static bool ContainsAnyIdentifier(SourceText text, ImmutableArray<string> identifiers) =>
            ContainsAnyIdentifier(text, new TextSpan(0, text.Length), identifiers);

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

            // Consecutive chunks overlap by the longest identifier less one, so a name split across two chunks
            // is found whole in the second; neighbours outside a chunk are read from the text itself.
            var chunk = buffer ??= new char[ChunkSize];
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

        /// <summary>Vectorized substring search, then a whole-word check: "Pack" is not found in "Package".</summary>
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
