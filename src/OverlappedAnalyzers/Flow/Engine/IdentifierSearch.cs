using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// How <see cref="TextGate"/> looks for a list of identifiers with few passes over the text: it searches only the
    /// strings every identifier contains one of, and checks each hit against the identifiers that contain that string.
    /// A name holding another one of the list needs no pass of its own ("Alloc" finds "AllocHGlobal" and "AlignedAlloc",
    /// "Overlapped" finds "NativeOverlapped"), and names sharing a longer substring share one pass ("WSA" for WSARecv,
    /// WSASend and WSAIoctl). Built once per list: <see cref="For"/> keeps the last lists each thread used. An empty name, which
    /// no gate list holds, is never searched.
    /// </summary>
    internal sealed class IdentifierSearch
    {
        /// <summary>
        /// Names share one pass on a substring that starts a word part ("WSA", "File", "Con") and is at least this long...
        /// </summary>
        private const int ShortestSharedWordPart = 3;

        /// <summary>
        /// ...or on any substring at least this long ("verlapped", "onnectEx"). A shorter one from inside a word part ("ati" of
        /// StartOperation and AllocateNativeOverlapped, which "static" holds) hits ordinary code every few hundred characters,
        /// and checking those hits costs more than the pass it saves.
        /// </summary>
        private const int ShortestSharedSubstring = 6;

        /// <summary>
        /// Lists one thread meets in turn: the four rules' static gates, the start names in force, and a type's own gate
        /// (OVL003/005), with room to spare, since a miss plans the list again.
        /// </summary>
        private const int RecentCapacity = 16;

        /// <summary>Most recently used first.</summary>
        [ThreadStatic]
        private static IdentifierSearch?[]? recent;

        private readonly ImmutableArray<string> identifiers;

        private IdentifierSearch(ImmutableArray<string> identifiers)
        {
            this.identifiers = identifiers;
            SearchStrings = Plan(identifiers);
            foreach (var searchString in SearchStrings)
            {
                LongestSearchString = Math.Max(LongestSearchString, searchString.Text.Length);
            }
        }

        /// <summary>The passes: every identifier of the list contains the text of exactly one of them, and is its candidate.</summary>
        public ImmutableArray<SearchString> SearchStrings { get; }

        public int LongestSearchString { get; }

        /// <summary>
        /// The search for this very list. Callers pass the same few static (or per-type cached) arrays again and again, so
        /// a small per-thread memory of arrays by reference spares rebuilding the plan for every code block.
        /// </summary>
        public static IdentifierSearch For(ImmutableArray<string> identifiers)
        {
            var cache = recent ??= new IdentifierSearch?[RecentCapacity];
            var index = 0;
            while (index < RecentCapacity - 1 && cache[index] is { } other && other.identifiers != identifiers)
            {
                index++;
            }

            var search = cache[index] is { } known && known.identifiers == identifiers ? known : new IdentifierSearch(identifiers);

            // Move to the front: the static gates stay while a stream of per-type lists passes through the back.
            Array.Copy(cache, 0, cache, 1, index);
            cache[0] = search;
            return search;
        }

        private static ImmutableArray<SearchString> Plan(ImmutableArray<string> identifiers)
        {
            // Plain loops, no lambdas: a type's own gate (OVL003/005) is planned per compilation, and should allocate little.
            var distinct = new List<string>(identifiers.IsDefault ? 0 : identifiers.Length);
            foreach (var identifier in identifiers.IsDefault ? ImmutableArray<string>.Empty : identifiers)
            {
                if (identifier.Length > 0 && !distinct.Contains(identifier))
                {
                    distinct.Add(identifier);
                }
            }

            // Keys: the names containing no other name of the list; every name contains at least one key.
            var keys = new List<string>(distinct.Count);
            foreach (var name in distinct)
            {
                if (IsKey(name, distinct))
                {
                    keys.Add(name);
                }
            }

            var texts = SharedSubstrings(keys);
            foreach (var key in keys)
            {
                if (FirstHeld(key, texts) < 0)
                {
                    texts.Add(key);
                }
            }

            // Each name goes to the first search string it holds; each search string holds a key that no earlier one is in.
            var plan = ImmutableArray.CreateBuilder<SearchString>(texts.Count);
            var candidates = ImmutableArray.CreateBuilder<Candidate>(distinct.Count);
            for (var i = 0; i < texts.Count; i++)
            {
                foreach (var name in distinct)
                {
                    if (FirstHeld(name, texts) == i)
                    {
                        candidates.Add(new Candidate(name, name.IndexOf(texts[i], StringComparison.Ordinal)));
                    }
                }

                plan.Add(new SearchString(texts[i], candidates.ToImmutable()));
                candidates.Clear();
            }

            return plan.MoveToImmutable();
        }

        private static bool IsKey(string name, List<string> names)
        {
            foreach (var other in names)
            {
                if (other != name && Contains(name, other))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The index of the first of <paramref name="texts"/> that <paramref name="name"/> holds, or -1.</summary>
        private static int FirstHeld(string name, List<string> texts)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (Contains(name, texts[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Greedily, longest first: a rare enough substring common to two or more keys not yet served ("verlapped",
        /// "onnectEx", "File", "WSA") replaces their separate passes.
        /// </summary>
        private static List<string> SharedSubstrings(List<string> keys)
        {
            var shared = new List<string>();
            var unserved = new List<string>(keys);
            while (true)
            {
                var best = default(CommonRun);
                for (var i = 0; i < unserved.Count; i++)
                {
                    for (var j = i + 1; j < unserved.Count; j++)
                    {
                        LongestRareCommonRun(unserved[i], unserved[j], ref best);
                    }
                }

                if (best.Source is null)
                {
                    return shared;
                }

                var text = best.Source.Substring(best.Start, best.Length);
                shared.Add(text);
                for (var i = unserved.Count - 1; i >= 0; i--)
                {
                    if (Contains(unserved[i], text))
                    {
                        unserved.RemoveAt(i);
                    }
                }
            }
        }

        /// <summary>
        /// Replaces <paramref name="best"/> with a longer substring of both names that is rare enough to search (the first of
        /// <paramref name="a"/> among equally long ones). Where it starts decides whether a short one qualifies: "Con", not "onn".
        /// </summary>
        private static void LongestRareCommonRun(string a, string b, ref CommonRun best)
        {
            for (var i = 0; i < a.Length; i++)
            {
                for (var j = 0; j < b.Length; j++)
                {
                    var length = 0;
                    while (i + length < a.Length && j + length < b.Length && a[i + length] == b[j + length])
                    {
                        length++;
                    }

                    var rareEnough = length >= ShortestSharedSubstring || (length >= ShortestSharedWordPart && char.IsUpper(a[i]));
                    if (rareEnough && length > best.Length)
                    {
                        best = new CommonRun(a, i, length);
                    }
                }
            }
        }

        private static bool Contains(string name, string part) => name.IndexOf(part, StringComparison.Ordinal) >= 0;

        /// <summary>A substring not yet made into a string: planning compares many and keeps one per round.</summary>
        private readonly struct CommonRun
        {
            public CommonRun(string source, int start, int length)
            {
                Source = source;
                Start = start;
                Length = length;
            }

            public string? Source { get; }

            public int Start { get; }

            public int Length { get; }
        }

        /// <summary>One pass: the text searched, and the identifiers a hit may be part of.</summary>
        internal sealed class SearchString
        {
            public SearchString(string text, ImmutableArray<Candidate> candidates)
            {
                Text = text;
                Candidates = candidates;
            }

            public string Text { get; }

            public ImmutableArray<Candidate> Candidates { get; }
        }

        /// <summary>An identifier holding a search string, and where: a hit at position p means the name may start at p - Offset.</summary>
        internal readonly struct Candidate
        {
            public Candidate(string identifier, int offset)
            {
                Identifier = identifier;
                Offset = offset;
            }

            public string Identifier { get; }

            public int Offset { get; }
        }
    }
}
