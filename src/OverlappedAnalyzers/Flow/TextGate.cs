using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Flow
{
    /// <summary>
    /// The cheapest possible first question: does the text of a code block contain one of these identifiers
    /// at all? It runs before any binding, so a method without overlapped code costs one scan of its
    /// characters and no semantic work. False hits (a comment, "Pack" in another API) only cost the real check.
    /// </summary>
    internal static class TextGate
    {
        private const int ChunkSize = 4096;

        [ThreadStatic]
        private static char[]? buffer;

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

            // Chunks overlap by the longest identifier so a name split across two chunks is still seen.
            var chunk = buffer ??= new char[ChunkSize];
            var position = span.Start;
            while (position < span.End)
            {
                var length = Math.Min(ChunkSize, span.End - position);
                text.CopyTo(position, chunk, 0, length);
                var atEnd = position + length >= span.End;
                if (ScanChunk(chunk, length, identifiers, atEnd ? length : length - maxLength))
                {
                    return true;
                }

                if (atEnd)
                {
                    break;
                }

                position += Math.Max(1, length - maxLength);
            }

            return false;
        }

        /// <summary>Finds whole identifiers (not "Pack" inside "Package") that start before <paramref name="startLimit"/>.</summary>
        private static bool ScanChunk(char[] chunk, int length, ImmutableArray<string> identifiers, int startLimit)
        {
            var i = 0;
            while (i < length)
            {
                if (!IsIdentifierChar(chunk[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < length && IsIdentifierChar(chunk[i]))
                {
                    i++;
                }

                if (start >= startLimit)
                {
                    return false;
                }

                foreach (var identifier in identifiers)
                {
                    if (identifier.Length == i - start && SameChars(chunk, start, identifier))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool SameChars(char[] chunk, int start, string identifier)
        {
            for (var k = 0; k < identifier.Length; k++)
            {
                if (chunk[start + k] != identifier[k])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
