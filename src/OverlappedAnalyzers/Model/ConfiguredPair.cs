using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// One start/finish pair from the <c>overlapped_analyzers.operation_pairs</c> option:
    /// <c>Type.StartMethod:FinishMethod</c>, where Type is the simple or fully qualified name of the declaring type.
    /// </summary>
    internal sealed class ConfiguredPair
    {
        public const string OptionKey = "overlapped_analyzers.operation_pairs";

        private ConfiguredPair(string typeName, string startMethod, string finishMethod)
        {
            TypeName = typeName;
            StartMethod = startMethod;
            FinishMethod = finishMethod;
        }

        public string TypeName { get; }
        public string StartMethod { get; }
        public string FinishMethod { get; }

        /// <summary>
        /// Parses the option value: entries separated by ',' (';' is accepted too, but .editorconfig treats it as the
        /// start of a comment, so only ',' works there). Malformed entries are ignored: a typo must not break analysis.
        /// </summary>
        public static ImmutableArray<ConfiguredPair> Parse(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return ImmutableArray<ConfiguredPair>.Empty;
            }

            var pairs = ImmutableArray.CreateBuilder<ConfiguredPair>();
            foreach (var rawEntry in value!.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var entry = rawEntry.Trim();
                var colon = entry.IndexOf(':');
                if (colon <= 0 || colon == entry.Length - 1)
                {
                    continue;
                }

                var qualifiedStart = entry.Substring(0, colon).Trim();
                var finish = entry.Substring(colon + 1).Trim();
                var lastDot = qualifiedStart.LastIndexOf('.');
                if (lastDot <= 0 || lastDot == qualifiedStart.Length - 1 || !IsIdentifier(finish))
                {
                    continue;
                }

                var start = qualifiedStart.Substring(lastDot + 1);
                var typeName = qualifiedStart.Substring(0, lastDot);
                if (IsIdentifier(start))
                {
                    pairs.Add(new ConfiguredPair(typeName, start, finish));
                }
            }

            return pairs.ToImmutable();
        }

        /// <summary>True when <paramref name="type"/> or one of its base types is the configured type.</summary>
        public bool MatchesType(ITypeSymbol? type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (current.Name == TypeName || current.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == TypeName)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsIdentifier(string text)
        {
            if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        public static IEnumerable<string> StartNames(ImmutableArray<ConfiguredPair> pairs)
        {
            foreach (var pair in pairs)
            {
                yield return pair.StartMethod;
            }
        }
    }
}
