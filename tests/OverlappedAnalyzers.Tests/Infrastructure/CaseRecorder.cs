using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>One test's input as the verifier received it: the documents (markup included), .editorconfig, unsafe.</summary>
    public sealed class RecordedCase
    {
        public RecordedCase(string origin, ImmutableArray<(string Name, string Source)> sources, string? editorConfig, bool allowUnsafe, bool positive)
        {
            Origin = origin;
            Sources = sources;
            EditorConfig = editorConfig;
            AllowUnsafe = allowUnsafe;
            Positive = positive;
        }

        /// <summary>The test method that supplied it: Class.Method(data).</summary>
        public string Origin { get; }

        public ImmutableArray<(string Name, string Source)> Sources { get; }

        public string? EditorConfig { get; }

        public bool AllowUnsafe { get; }

        /// <summary>The test expects at least one diagnostic (markup or an explicit expectation).</summary>
        public bool Positive { get; }
    }

    /// <summary>
    /// Turns the rule tests into a corpus: while <see cref="CollectAsync"/> runs a test class's [Fact]s and
    /// [InlineData] rows, the verifiers hand their input here instead of running it. So every case a rule test
    /// holds — today's and tomorrow's — feeds the cross-rule properties without a second copy of its source.
    /// </summary>
    public static class CaseRecorder
    {
        private static readonly AsyncLocal<List<RecordedCase>?> Active = new AsyncLocal<List<RecordedCase>?>();
        private static readonly AsyncLocal<string?> CurrentOrigin = new AsyncLocal<string?>();

        /// <summary>Records the case when a collection is running (the caller then skips its own run); false otherwise.</summary>
        public static bool TryRecord(IEnumerable<(string Name, string Source)> sources, string? editorConfig, bool allowUnsafe, bool expectsDiagnostics = false)
        {
            var list = Active.Value;
            if (list is null)
            {
                return false;
            }

            var all = sources.ToImmutableArray();
            var positive = expectsDiagnostics || all.Any(s => s.Source.Contains("{|OVL", StringComparison.Ordinal) || s.Source.Contains("[|", StringComparison.Ordinal));
            list.Add(new RecordedCase(CurrentOrigin.Value ?? "?", all, editorConfig, allowUnsafe, positive));
            return true;
        }

        /// <summary>Runs every [Fact] and [InlineData] row of the classes in <paramref name="types"/> in recording mode.</summary>
        public static async Task<IReadOnlyList<RecordedCase>> CollectAsync(IEnumerable<Type> types)
        {
            var recorded = new List<RecordedCase>();
            foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    foreach (var arguments in Rows(method))
                    {
                        var list = new List<RecordedCase>();
                        await RecordOneAsync(type, method, arguments, list).ConfigureAwait(false);
                        recorded.AddRange(list);
                    }
                }
            }

            return recorded;
        }

        private static IEnumerable<object?[]> Rows(MethodInfo method)
        {
            if (method.GetCustomAttributes<FactAttribute>().Any(a => a is not TheoryAttribute && a.Skip is null))
            {
                yield return Array.Empty<object?>();
            }
            else if (method.GetCustomAttributes<TheoryAttribute>().Any())
            {
                foreach (var row in method.GetCustomAttributes<InlineDataAttribute>())
                {
                    foreach (var data in row.GetData(method))
                    {
                        yield return data;
                    }
                }
            }
        }

        private static async Task RecordOneAsync(Type type, MethodInfo method, object?[] arguments, List<RecordedCase> list)
        {
            // A fresh async flow per test, so the recording list never leaks into another test running in parallel.
            await Task.Run(async () =>
            {
                Active.Value = list;
                CurrentOrigin.Value = type.Name + "." + method.Name + (arguments.Length == 0 ? string.Empty : "(" + string.Join(", ", arguments) + ")");
                try
                {
                    var instance = method.IsStatic ? null : Activator.CreateInstance(type);
                    if (method.Invoke(instance, arguments) is Task task)
                    {
                        await task.ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // A test that asserts on what the skipped run would have produced fails here; its input is recorded all the same.
                }
            }).ConfigureAwait(false);
        }
    }
}
