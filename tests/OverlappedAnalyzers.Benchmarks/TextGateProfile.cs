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

        private static readonly (string Rule, ImmutableArray<string> Identifiers)[] Gates =
        {
            ("OVL001/002 start names (SyncFailure)", OperationPairs.BuiltInStartNames),
            ("OVL003/005 allocators (HandleLeak)", NativeAllocations.GateNames),
            ("OVL004 frees (UseAfterFree)", ReleaseCalls.GateNames),
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
                    "== text gate scan, {0}: {1} texts, {2:N0} characters, {3} rounds after {4} warm-up rounds",
                    corpus.Name,
                    texts.Length,
                    texts.Sum(t => (long)t.Length),
                    rounds,
                    WarmupRounds));
                foreach (var (rule, identifiers) in Gates)
                {
                    // Each text timed alone and its fastest round kept: a scan of one text takes microseconds, so on a shared
                    // machine most rounds of it run undisturbed, where a whole-corpus round of milliseconds rarely does.
                    var fastest = new double[texts.Length];
                    var roundTotals = new List<double>();
                    var found = 0;
                    for (var round = 0; round < WarmupRounds + rounds; round++)
                    {
                        var total = 0.0;
                        found = 0;
                        for (var i = 0; i < texts.Length; i++)
                        {
                            var start = Stopwatch.GetTimestamp();
                            if (TextGate.ContainsAnyIdentifier(texts[i], identifiers))
                            {
                                found++;
                            }

                            var ms = (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
                            total += ms;
                            if (round >= WarmupRounds && (round == WarmupRounds || ms < fastest[i]))
                            {
                                fastest[i] = ms;
                            }
                        }

                        if (round >= WarmupRounds)
                        {
                            roundTotals.Add(total);
                        }
                    }

                    roundTotals.Sort();
                    report.AppendLine(string.Format(
                        CultureInfo.InvariantCulture,
                        "   {0,-40} {1,2} names  sum of fastest per text {2,6:F2} ms  median round {3,7:F2} ms  texts found {4}",
                        rule,
                        identifiers.Length,
                        fastest.Sum(),
                        roundTotals[roundTotals.Count / 2],
                        found));
                }
            }

            return report.ToString();
        }
    }
}
