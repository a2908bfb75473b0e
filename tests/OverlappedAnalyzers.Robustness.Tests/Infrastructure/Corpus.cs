using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// Inputs to mutate: this project's hand-written corpus (Corpus/*.cs), the C# sources written as string
    /// literals in the rule tests (tests/OverlappedAnalyzers.Tests, markup stripped), and the reference
    /// library's sources when that project exists. Loaded once, in a fixed order, so a seed means one thing.
    /// </summary>
    internal static class Corpus
    {
        /// <summary>Added unmutated to every run: the seed-like overlapped type and native layer the snippets use.</summary>
        public const string SupportFileName = "_Support.cs";

        private static readonly Lazy<IReadOnlyList<SourceFile>> LazyInputs = new Lazy<IReadOnlyList<SourceFile>>(Load);
        private static readonly Lazy<SourceFile> LazySupport = new Lazy<SourceFile>(
            () => new SourceFile("Support.cs", File.ReadAllText(Path.Combine(CorpusDirectory, SupportFileName))));

        // Analyzer-testing markup: {|OVL001:text|}, {|#0:text|}, [|text|], $$.
        private static readonly Regex SpanOpen = new Regex(@"\{\|[^:|]*:", RegexOptions.Compiled);

        public static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "Corpus");

        public static IReadOnlyList<SourceFile> Inputs => LazyInputs.Value;

        public static SourceFile Support => LazySupport.Value;

        /// <summary>The folder holding OverlappedAnalyzers.sln, found by walking up from the test binaries.</summary>
        public static string? RepositoryRoot
        {
            get
            {
                for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
                {
                    if (File.Exists(Path.Combine(directory.FullName, "OverlappedAnalyzers.sln")))
                    {
                        return directory.FullName;
                    }
                }

                return null;
            }
        }

        /// <summary>The support file plus one input: what a mutant is compiled with.</summary>
        public static IReadOnlyList<SourceFile> WithSupport(SourceFile input) => new[] { Support, input };

        private static IReadOnlyList<SourceFile> Load()
        {
            var inputs = new List<SourceFile>();
            foreach (var path in Directory.GetFiles(CorpusDirectory, "*.cs").OrderBy(p => p, StringComparer.Ordinal))
            {
                if (Path.GetFileName(path) != SupportFileName)
                {
                    inputs.Add(new SourceFile("Corpus/" + Path.GetFileName(path), File.ReadAllText(path)));
                }
            }

            var root = RepositoryRoot;
            if (root != null)
            {
                inputs.AddRange(TestLiterals(Path.Combine(root, "tests", "OverlappedAnalyzers.Tests")));
                var reference = Path.Combine(root, "src", "OverlappedAnalyzers.ReferenceSocket");
                if (Directory.Exists(reference))
                {
                    inputs.AddRange(Directory.GetFiles(reference, "*.cs", SearchOption.AllDirectories)
                        .Where(p => !IsBuildOutput(p))
                        .OrderBy(p => p, StringComparer.Ordinal)
                        .Select(p => new SourceFile("ReferenceSocket/" + Path.GetFileName(p), File.ReadAllText(p))));
                }
            }

            return inputs;
        }

        /// <summary>String literals of the rule tests that look like a C# compilation unit.</summary>
        private static IEnumerable<SourceFile> TestLiterals(string testsDirectory)
        {
            if (!Directory.Exists(testsDirectory))
            {
                yield break;
            }

            foreach (var path in Directory.GetFiles(testsDirectory, "*.cs", SearchOption.AllDirectories).Where(p => !IsBuildOutput(p)).OrderBy(p => p, StringComparer.Ordinal))
            {
                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), References.ParseOptions);
                var index = 0;
                foreach (var literal in tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>())
                {
                    if (!literal.IsKind(SyntaxKind.StringLiteralExpression) || literal.Token.ValueText is not { Length: > 80 } text)
                    {
                        continue;
                    }

                    if (!(text.Contains("class ", StringComparison.Ordinal) || text.Contains("struct ", StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    yield return new SourceFile($"Tests/{Path.GetFileNameWithoutExtension(path)}_{index++}.cs", StripMarkup(text));
                }
            }
        }

        private static string StripMarkup(string text) =>
            SpanOpen.Replace(text, string.Empty).Replace("|}", string.Empty).Replace("[|", string.Empty).Replace("|]", string.Empty).Replace("$$", string.Empty);

        private static bool IsBuildOutput(string path) =>
            path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
