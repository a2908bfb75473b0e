using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Release;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// The no-overlapped floor taken apart (issue 13 item 4): on code without overlapped I/O the rules' only work is the
    /// compilation-start text scan, one per rule over every tree. Scans the corpus texts with each rule's gate list in
    /// process, outside the compiler and its telemetry.
    /// </summary>
    internal static class TextGateProfile
    {
        private const int WarmupRounds = 3;

        private const int WarmupMilliseconds = 1000;

        private static readonly (string Rule, ImmutableArray<string> Identifiers)[] Gates =
        {
            ("OVL001/002/006 start names (SyncFailure)", OperationPairs.BuiltInStartNames),
            ("OVL003/005 allocators (HandleLeak)", NativeAllocations.GateNames),
            ("OVL008 frees (UseAfterFree)", ReleaseCalls.GateNames),
            ("OVL007 I/O calls (PrematureRelease)", IoCallNames.GateNames),
        };

        public static string Run(IReadOnlyList<Corpus> corpora, int rounds)
        {
            var report = new StringBuilder();
            foreach (var corpus in corpora)
            {
                var texts = corpus.Trees.Select(tree => tree.GetText()).ToArray();
                report.AppendLine(string.Format(
                    CultureInfo.InvariantCulture,
                    "== text gate scan, {0}: {1} texts, {2:N0} characters, {3} rounds after at least {4} warm-up rounds and {5} ms",
                    corpus.Name,
                    texts.Length,
                    texts.Sum(t => (long)t.Length),
                    rounds,
                    WarmupRounds,
                    WarmupMilliseconds));

                // Warm-up long enough for tiered compilation to promote the scan (it waits 100 ms after the last new method).
                var warmup = Stopwatch.StartNew();
                for (var round = 0; round < WarmupRounds || warmup.ElapsedMilliseconds < WarmupMilliseconds; round++)
                {
                    foreach (var gate in Gates)
                    {
                        Scan(texts, gate.Identifiers, fastest: null);
                    }
                }

                // Rounds alternate the lists, so a busy spell of the machine spreads over all of them. Each text is timed alone
                // and its fastest round kept: one text's scan takes microseconds, so on a shared machine most rounds of it run
                // undisturbed, where a whole-corpus round of milliseconds rarely does.
                var fastest = Gates.Select(_ => Enumerable.Repeat(double.MaxValue, texts.Length).ToArray()).ToArray();
                var found = new int[Gates.Length];
                for (var round = 0; round < rounds; round++)
                {
                    for (var g = 0; g < Gates.Length; g++)
                    {
                        found[g] = Scan(texts, Gates[g].Identifiers, fastest[g]);
                    }
                }

                for (var g = 0; g < Gates.Length; g++)
                {
                    report.AppendLine(string.Format(
                        CultureInfo.InvariantCulture,
                        "   {0,-40} {1,2} names  sum of fastest per text {2,6:F2} ms  texts found {3}",
                        Gates[g].Rule,
                        Gates[g].Identifiers.Length,
                        fastest[g].Sum(),
                        found[g]));
                }
            }

            return report.ToString();
        }

        /// <summary>Scans every text, lowering each one's fastest time (in ms) when given; returns how many texts the gate lets in.</summary>
        private static int Scan(SourceText[] texts, ImmutableArray<string> identifiers, double[]? fastest)
        {
            var found = 0;
            for (var i = 0; i < texts.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                if (TextGate.ContainsAnyIdentifier(texts[i], identifiers))
                {
                    found++;
                }

                var ms = (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
                if (fastest != null)
                {
                    fastest[i] = Math.Min(fastest[i], ms);
                }
            }

            return found;
        }
    }
}
