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

        public static bool ContainsAnyIdentifier(SourceText text, TextSpan span, ImmutableArray<string> identifiers) =>
            ContainsAnyIdentifier(text, span, IdentifierSearch.For(identifiers));

        /// <summary>
        /// One vectorized pass per search string (not per identifier) over each chunk; a hit is an identifier of the list only
        /// when the characters around it spell that identifier whole, inside the span.
        /// </summary>
        public static bool ContainsAnyIdentifier(SourceText text, TextSpan span, IdentifierSearch search)
        {
            if (span.Length == 0 || search.SearchStrings.IsEmpty)
            {
                return false;
            }

            // Consecutive chunks overlap by the longest search string less one, so a hit split across two chunks is found
            // whole in the second; the identifier around a hit and its neighbours are read from the text where they leave the chunk.
            var overlap = search.LongestSearchString - 1;
            var chunk = buffer ??= new char[ChunkSize];
            var position = span.Start;
            while (true)
            {
                var length = Math.Min(ChunkSize, span.End - position);
                text.CopyTo(position, chunk, 0, length);
                var window = new ReadOnlySpan<char>(chunk, 0, length);
                foreach (var searchString in search.SearchStrings)
                {
                    if (ContainsWord(text, span, window, position, searchString))
                    {
                        return true;
                    }
                }

                if (position + length >= span.End || length <= overlap)
                {
                    return false;
                }

                position += length - overlap;
            }
        }

        /// <summary>Vectorized substring search, then a whole-word check of each candidate around the hit.</summary>
        private static bool ContainsWord(SourceText text, TextSpan span, ReadOnlySpan<char> window, int windowStart, IdentifierSearch.SearchString searchString)
        {
            var offset = 0;
            while (offset + searchString.Text.Length <= window.Length)
            {
                var found = window.Slice(offset).IndexOf(searchString.Text.AsSpan(), StringComparison.Ordinal);
                if (found < 0)
                {
                    return false;
                }

                var hit = offset + found;
                foreach (var candidate in searchString.Candidates)
                {
                    if (IsWholeIdentifierAt(text, span, window, windowStart, hit - candidate.Offset, candidate.Identifier))
                    {
                        return true;
                    }
                }

                offset = hit + 1;
            }

            return false;
        }

        /// <summary>
        /// True when <paramref name="identifier"/> lies inside the span at <paramref name="start"/> (relative to the window,
        /// possibly outside it) with no identifier character on either side: "Pack" is not found in "Package".
        /// </summary>
        private static bool IsWholeIdentifierAt(SourceText text, TextSpan span, ReadOnlySpan<char> window, int windowStart, int start, string identifier)
        {
            var end = start + identifier.Length;
            if (windowStart + start < span.Start || windowStart + end > span.End)
            {
                return false;
            }

            if (start >= 0 && end <= window.Length)
            {
                if (!window.Slice(start, identifier.Length).SequenceEqual(identifier.AsSpan()))
                {
                    return false;
                }
            }
            else
            {
                for (var i = 0; i < identifier.Length; i++)
                {
                    if (text[windowStart + start + i] != identifier[i])
                    {
                        return false;
                    }
                }
            }

            var before = start > 0 ? window[start - 1] : CharAt(text, windowStart + start - 1);
            var after = end < window.Length ? window[end] : CharAt(text, windowStart + end);
            return !IsIdentifierChar(before) && !IsIdentifierChar(after);
        }

        private static char CharAt(SourceText text, int position) =>
            position >= 0 && position < text.Length ? text[position] : ' ';

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
