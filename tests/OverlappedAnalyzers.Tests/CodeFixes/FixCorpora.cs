using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Tests.Infrastructure;

namespace OverlappedAnalyzers.Tests.CodeFixes
{
    /// <summary>A compilable unit of a corpus: its documents, .editorconfig and extra references.</summary>
    internal sealed class FixCase
    {
        public FixCase(string name, IReadOnlyList<(string Name, string Source)> sources, string? editorConfig = null, IReadOnlyList<MetadataReference>? references = null)
        {
            Name = name;
            Sources = sources;
            EditorConfig = editorConfig;
            References = references ?? Array.Empty<MetadataReference>();
        }

        public string Name { get; }

        public IReadOnlyList<(string Name, string Source)> Sources { get; }

        public string? EditorConfig { get; }

        public IReadOnlyList<MetadataReference> References { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// Every corpus of positive cases the project has: the rule tests' inputs (OVL001–OVL006, recorded through the
    /// verifiers, markup stripped), the leaky sample and the robustness suite's hand-written corpus (both copied beside
    /// the test binaries by the project file).
    /// </summary>
    internal static class FixCorpora
    {
        private static readonly Regex SpanOpen = new Regex(@"\{\|[^:|]*:", RegexOptions.Compiled);
        private static readonly Regex RuleNamespace = new Regex(@"^OverlappedAnalyzers\.Tests\.OVL00[1-6]$", RegexOptions.Compiled);

        public static string CorporaDirectory => Path.Combine(AppContext.BaseDirectory, "Corpora");

        public static async Task<IReadOnlyList<FixCase>> RuleTestsAsync()
        {
            var types = typeof(FixCorpora).Assembly.GetTypes().Where(t => t.Namespace != null && RuleNamespace.IsMatch(t.Namespace) && t.IsClass && !t.IsAbstract && t.IsPublic);
            var recorded = await CaseRecorder.CollectAsync(types).ConfigureAwait(false);
            return recorded
                .Where(c => c.Positive)
                .Select(c => new FixCase(c.Origin, c.Sources.Select(s => (s.Name, StripMarkup(s.Source))).ToList(), c.EditorConfig))
                .ToList();
        }

        /// <summary>samples/LeakySocket as one project, against the reference socket library it builds on.</summary>
        public static FixCase LeakySample()
        {
            var directory = Path.Combine(CorporaDirectory, "LeakySocket");
            var sources = Directory.GetFiles(directory, "*.cs").OrderBy(p => p, StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllText(p))).ToList();
            var referenceSocket = MetadataReference.CreateFromFile(typeof(OverlappedAnalyzers.ReferenceSocket.NativeSocketApi).Assembly.Location);
            return new FixCase("samples/LeakySocket", sources, references: new[] { referenceSocket });
        }

        /// <summary>Each file of the robustness corpus with its support file, as that suite compiles them.</summary>
        public static IReadOnlyList<FixCase> RobustnessCorpus()
        {
            var directory = Path.Combine(CorporaDirectory, "Robustness");
            var support = File.ReadAllText(Path.Combine(directory, "_Support.cs"));
            return Directory.GetFiles(directory, "*.cs")
                .Where(p => Path.GetFileName(p) != "_Support.cs")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => new FixCase("Corpus/" + Path.GetFileName(p), new[] { ("Support.cs", support), (Path.GetFileName(p), File.ReadAllText(p)) }))
                .ToList();
        }

        private static string StripMarkup(string text) =>
            SpanOpen.Replace(text, string.Empty).Replace("|}", string.Empty).Replace("[|", string.Empty).Replace("|]", string.Empty).Replace("$$", string.Empty);
    }
}
