using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Release;
using OverlappedAnalyzers.Model;
using Xunit;

namespace OverlappedAnalyzers.Tests.Engine
{
    /// <summary>
    /// The search plan changes how the text gate looks, never what it answers: for random texts built from the gate names'
    /// fragments, near misses and separators, with spans starting and ending mid-word and names straddling the 16K chunk
    /// boundaries, the plan-driven gate answers exactly as the one-pass-per-identifier gate it replaced (<see cref="LegacyTextGate"/>).
    /// </summary>
    public class TextGateEquivalenceTests
    {
        private const int ChunkSize = 16 * 1024;

        private static readonly ImmutableDictionary<string, ImmutableArray<string>> GateLists = new Dictionary<string, ImmutableArray<string>>
        {
            ["NativeAllocations"] = NativeAllocations.GateNames,
            ["IoCallNames"] = IoCallNames.GateNames,
            ["ReleaseCalls"] = ReleaseCalls.GateNames,
            ["BuiltInStartNames"] = OperationPairs.BuiltInStartNames,

            // Start names in force with pairs configured in .editorconfig (CompilationFacts), and a type's field-analysis gate
            // (TypeOwnership): allocators, candidate members, allocating helpers, whose symbol names need not be words.
            ["ConfiguredStartNames"] = OperationPairs.BuiltInStartNames.AddRange(new[] { "BeginReceive", "BeginSend", "Begin", "StartOp" }),
            ["TypeOwnership"] = NativeAllocations.GateNames.AddRange(new[] { "m_buffer", "SetBuffer", ".ctor", "System.IDisposable.Dispose", "Dispose", "_pinned" }),
        }.ToImmutableDictionary();

        private static readonly string[] Separators =
        {
            " ", ".", "(", ");", "\n", "\r\n", "\t", ",", "<", ">", "//", "\"", "-", "=", "\u00A0", "\U0001F600",
        };

        /// <summary>Identifier characters that are neither ASCII letters nor '_': a name glued to one is not whole.</summary>
        private static readonly string[] Glue = { "x", "_", "9", "\u00E9", "\u0660", "lp", "s", "Ex", "Native", "Unsafe" };

        private static readonly string[] NeutralWords = { "var", "int", "value", "return", "Package", "Packet", "Allocator", "FreeBSD", "static", "Operation", "x1" };

        public static TheoryData<string> ListNames()
        {
            var data = new TheoryData<string>();
            foreach (var name in GateLists.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                data.Add(name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(ListNames))]
        public void ShortTextsAndSpansGetTheLegacyAnswer(string listName)
        {
            var identifiers = GateLists[listName];
            var random = new Random(StableSeed(listName));
            var outcomes = new int[2];
            for (var i = 0; i < 3000; i++)
            {
                var text = RandomText(random, identifiers, random.Next(0, 24));
                var span = RandomSpan(random, text.Length);
                outcomes[AssertSameAnswer(SourceText.From(text), span, identifiers) ? 1 : 0]++;
            }

            AssertBothAnswersCommon(outcomes);
        }

        [Theory]
        [MemberData(nameof(ListNames))]
        public void NamesAcrossChunkBoundariesGetTheLegacyAnswer(string listName)
        {
            var identifiers = GateLists[listName];
            var random = new Random(StableSeed(listName) + 1);
            var outcomes = new int[2];
            for (var i = 0; i < 250; i++)
            {
                var (text, span) = LongText(random, identifiers);
                outcomes[AssertSameAnswer(SourceText.From(text), span, identifiers) ? 1 : 0]++;
            }

            AssertBothAnswersCommon(outcomes);
        }

        [Fact]
        public void RandomListsOfOverlappingNamesGetTheLegacyAnswer()
        {
            // Names that contain one another, share substrings, repeat, or hold non-identifier characters.
            var pool = GateLists.Values.SelectMany(list => list).Distinct().ToList();
            var random = new Random(20261202);
            var outcomes = new int[2];
            for (var i = 0; i < 3000; i++)
            {
                var identifiers = Enumerable.Range(0, random.Next(1, 9)).Select(_ => RandomName(random, pool)).ToImmutableArray();
                var (text, span) = i % 10 == 0 ? LongText(random, identifiers) : ShortText(random, identifiers);
                outcomes[AssertSameAnswer(SourceText.From(text), span, identifiers) ? 1 : 0]++;
            }

            AssertBothAnswersCommon(outcomes);
        }

        [Fact]
        public void ANameContainingAnotherNeedsNoPassOfItsOwn()
        {
            Assert.Equal(new[] { "Alloc", "GCHandle" }, SearchedTexts(NativeAllocations.GateNames));
            Assert.Equal(new[] { "Free" }, SearchedTexts(ReleaseCalls.GateNames));
            Assert.Equal(new[] { "StartOperation", "AllocateNativeOverlapped", "Pack" }, SearchedTexts(OperationPairs.BuiltInStartNames));
        }

        [Fact]
        public void NamesSharingALongSubstringShareOnePass()
        {
            Assert.Equal(
                new[] { "verlapped", "onnectEx", "File", "Con", "WSA", "WaitCommEvent", "AcceptEx", "StartOperation", "Pack" },
                SearchedTexts(IoCallNames.GateNames));
        }

        [Theory]
        [MemberData(nameof(ListNames))]
        public void EveryNameIsTheCandidateOfOneSearchStringItHolds(string listName)
        {
            var identifiers = GateLists[listName];
            var candidates = IdentifierSearch.For(identifiers).SearchStrings
                .SelectMany(s => s.Candidates.Select(c => (s.Text, c.Identifier, c.Offset)))
                .ToList();

            Assert.Equal(identifiers.Distinct().OrderBy(n => n, StringComparer.Ordinal), candidates.Select(c => c.Identifier).OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(candidates, c => Assert.Equal(c.Text, c.Identifier.Substring(c.Offset, c.Text.Length)));
        }

        [Fact]
        public void TheSameListIsPlannedOncePerThreadWhileOthersPassThrough()
        {
            var search = IdentifierSearch.For(IoCallNames.GateNames);
            for (var i = 0; i < 100; i++)
            {
                // A stream of per-type lists (equal contents, new arrays each time) between uses of the static gate.
                Assert.NotSame(IdentifierSearch.For(NativeAllocations.GateNames.Add("m_buffer")), IdentifierSearch.For(NativeAllocations.GateNames.Add("m_buffer")));
                Assert.Same(search, IdentifierSearch.For(IoCallNames.GateNames));
            }
        }

        private static string[] SearchedTexts(ImmutableArray<string> identifiers) =>
            IdentifierSearch.For(identifiers).SearchStrings.Select(s => s.Text).ToArray();

        private static bool AssertSameAnswer(SourceText text, TextSpan span, ImmutableArray<string> identifiers)
        {
            var expected = LegacyTextGate.ContainsAnyIdentifier(text, span, identifiers);
            var actual = TextGate.ContainsAnyIdentifier(text, span, identifiers);
            if (actual != expected)
            {
                Assert.Fail(
                    $"legacy {expected}, plan {actual} for [{string.Join(", ", identifiers)}] in span {span} of a {text.Length}-character text; " +
                    $"span text: \"{Escape(text.ToString(span))}\"");
            }

            return actual;
        }

        /// <summary>A property whose cases nearly all answer the same proves little: both answers must be common.</summary>
        private static void AssertBothAnswersCommon(int[] outcomes)
        {
            var total = outcomes[0] + outcomes[1];
            Assert.True(outcomes[0] >= total / 10, $"only {outcomes[0]} of {total} cases found no name");
            Assert.True(outcomes[1] >= total / 10, $"only {outcomes[1]} of {total} cases found a name");
        }

        private static (string Text, TextSpan Span) ShortText(Random random, ImmutableArray<string> identifiers)
        {
            var text = RandomText(random, identifiers, random.Next(0, 24));
            return (text, RandomSpan(random, text.Length));
        }

        /// <summary>
        /// Near-miss filler (names glued to identifier characters, neutral words, separators) past two chunk boundaries,
        /// with a few fragments dropped in around each boundary: a chunk's end, and the next chunk's start, which lies up to
        /// the longest name earlier. The span starts and ends a little inside the text, often mid-word.
        /// </summary>
        private static (string Text, TextSpan Span) LongText(Random random, ImmutableArray<string> identifiers)
        {
            var spanStart = random.Next(0, 64);
            var builder = new StringBuilder();
            while (builder.Length < spanStart + (2 * ChunkSize) + 200 + random.Next(0, 2000))
            {
                builder.Append(FillerFragment(random, identifiers)).Append(Pick(random, Separators));
            }

            for (var boundary = 1; boundary <= 2; boundary++)
            {
                for (var probe = random.Next(1, 4); probe > 0; probe--)
                {
                    // Half the probes cut by the first chunk's end (any character of the probe its last), the others nearby.
                    var fragment = MaybeSeparator(random) + Fragment(random, identifiers) + MaybeSeparator(random);
                    var position = random.Next(2) == 0
                        ? spanStart + (boundary * ChunkSize) - random.Next(1, fragment.Length + 1)
                        : spanStart + (boundary * ChunkSize) + random.Next(-40 - (boundary * 40), 40);
                    builder.Insert(position, fragment);
                }
            }

            var text = builder.ToString();
            var spanEnd = text.Length - random.Next(0, 64);
            return (text, TextSpan.FromBounds(spanStart, spanEnd));
        }

        private static string RandomText(Random random, ImmutableArray<string> identifiers, int fragments)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < fragments; i++)
            {
                builder.Append(Fragment(random, identifiers));
                if (random.Next(2) == 0)
                {
                    builder.Append(Pick(random, Separators));
                }
            }

            return builder.ToString();
        }

        /// <summary>A name whole, glued, cut, or a neutral word: gluing fragments without separators makes longer words still.</summary>
        private static string Fragment(Random random, ImmutableArray<string> identifiers)
        {
            var name = identifiers[random.Next(identifiers.Length)];
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    return name;
                case 2:
                    return Pick(random, Glue) + name;
                case 3:
                    return name + Pick(random, Glue);
                case 4:
                    var start = random.Next(name.Length);
                    return name.Substring(start, random.Next(1, name.Length - start + 1));
                default:
                    return Pick(random, NeutralWords);
            }
        }

        private static string FillerFragment(Random random, ImmutableArray<string> identifiers) =>
            random.Next(3) == 0
                ? Pick(random, NeutralWords)
                : Pick(random, Glue) + identifiers[random.Next(identifiers.Length)] + Pick(random, Glue);

        /// <summary>A name of the pool, a piece of one (a name inside another), or one of them with a few characters around.</summary>
        private static string RandomName(Random random, List<string> pool)
        {
            var name = pool[random.Next(pool.Count)];
            switch (random.Next(4))
            {
                case 0:
                    var start = random.Next(name.Length);
                    return name.Substring(start, random.Next(1, name.Length - start + 1));
                case 1:
                    return Pick(random, Glue) + name;
                default:
                    return name;
            }
        }

        private static TextSpan RandomSpan(Random random, int length)
        {
            if (random.Next(3) == 0)
            {
                return new TextSpan(0, length);
            }

            var start = random.Next(length + 1);
            return TextSpan.FromBounds(start, start + random.Next(length - start + 1));
        }

        private static string MaybeSeparator(Random random) => random.Next(2) == 0 ? Pick(random, Separators) : string.Empty;

        private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

        private static int StableSeed(string text)
        {
            var seed = 17;
            foreach (var c in text)
            {
                seed = (seed * 31) + c;
            }

            return seed;
        }

        private static string Escape(string text) =>
            text.Length > 400 ? Escape(text.Substring(0, 200)) + " … " + Escape(text.Substring(text.Length - 200)) : text.Replace("\r", "\\r").Replace("\n", "\\n");
    }
}
