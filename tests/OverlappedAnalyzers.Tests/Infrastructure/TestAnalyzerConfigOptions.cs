using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>.editorconfig values for a hand-built <see cref="AnalyzerOptions"/>: the same keys for every tree.</summary>
    public sealed class TestAnalyzerConfigOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Values values;

        public TestAnalyzerConfigOptions(params (string Key, string Value)[] entries)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string>();
            foreach (var (key, value) in entries)
            {
                builder[key] = value;
            }

            values = new Values(builder.ToImmutable());
        }

        public override AnalyzerConfigOptions GlobalOptions => Values.Empty;

        public AnalyzerOptions ToAnalyzerOptions() => new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, this);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => values;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => values;

        private sealed class Values : AnalyzerConfigOptions
        {
            public static readonly Values Empty = new Values(ImmutableDictionary<string, string>.Empty);

            private readonly ImmutableDictionary<string, string> entries;

            public Values(ImmutableDictionary<string, string> entries)
            {
                this.entries = entries;
            }

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => entries.TryGetValue(key, out value);

            public override IEnumerable<string> Keys => entries.Keys;
        }
    }
}
