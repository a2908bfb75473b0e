using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests
{
    /// <summary>
    /// The docs are checked, not trusted: every descriptor has its page, the README table and the samples list
    /// exactly the descriptors, with their titles, severities and help links. Change a title in Descriptors.cs
    /// and these tests say which files to update.
    /// </summary>
    public sealed class DocumentationTests
    {
        private static readonly string[] RequiredSections =
        {
            "## What it finds", "## Why it matters", "## Non-compliant code", "## Compliant code",
            "## Code fix", "## Options", "## How to suppress",
        };

        public static TheoryData<string> RuleIds()
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in AllDescriptors())
            {
                data.Add(descriptor.Id);
            }

            return data;
        }

        [Fact]
        public void Catalogue_has_the_eight_rules_of_the_contract()
        {
            Assert.Equal(
                new[] { "OVL001", "OVL002", "OVL003", "OVL004", "OVL005", "OVL006", "OVL007", "OVL008" },
                AllDescriptors().Select(d => d.Id));
        }

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void Descriptor_is_a_reliability_warning_linking_to_its_page(string id)
        {
            var descriptor = Descriptor(id);

            Assert.Equal("Reliability", descriptor.Category);
            Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.Equal(RuleIdentifiers.GetHelpUri(id), descriptor.HelpLinkUri);
            Assert.Equal(RuleIdentifiers.RepositoryUrl + "/blob/main/docs/rules/" + id + ".md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(RepositoryFiles.PathOf(descriptor.HelpLinkUri.Substring((RuleIdentifiers.RepositoryUrl + "/blob/main/").Length))));
        }

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void Rule_page_title_and_summary_match_the_descriptor(string id)
        {
            var descriptor = Descriptor(id);
            var lines = Page(id).Split('\n');

            Assert.Equal("# " + id + ": " + descriptor.Title, lines[0].TrimEnd());
            Assert.Contains("| Rule ID | " + id + " |", lines);
            Assert.Contains("| Category | " + descriptor.Category + " |", lines);
            Assert.Contains("| Default severity | " + descriptor.DefaultSeverity + " |", lines);
        }

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void Rule_page_has_every_section(string id)
        {
            var lines = Page(id).Split('\n').Select(l => l.TrimEnd()).ToList();
            var positions = RequiredSections.Select(section => lines.IndexOf(section)).ToList();

            for (var i = 0; i < RequiredSections.Length; i++)
            {
                Assert.True(positions[i] >= 0, $"docs/rules/{id}.md has no '{RequiredSections[i]}' section.");
            }

            Assert.True(positions.SequenceEqual(positions.OrderBy(p => p)), $"docs/rules/{id}.md has its sections out of order.");
        }

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void Rule_page_shows_the_three_ways_to_suppress(string id)
        {
            var descriptor = Descriptor(id);
            var page = Page(id);

            Assert.Contains("#pragma warning disable " + id, page, StringComparison.Ordinal);
            Assert.Contains("dotnet_diagnostic." + id + ".severity = none", page, StringComparison.Ordinal);
            Assert.Contains("[SuppressMessage(\"" + descriptor.Category + "\", \"" + id, page, StringComparison.Ordinal);

            // A SuppressMessage check ID written out in full must carry the current title.
            foreach (Match match in Regex.Matches(page, "SuppressMessage\\(\"[^\"]*\", \"" + id + ":(?<title>[^\"]*)\""))
            {
                Assert.Equal(descriptor.Title.ToString(), match.Groups["title"].Value);
            }
        }

        [Fact]
        public void Every_rule_page_belongs_to_a_descriptor()
        {
            var pages = Directory.GetFiles(RepositoryFiles.PathOf("docs/rules"), "*.md").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(AllDescriptors().Select(d => d.Id).OrderBy(n => n, StringComparer.Ordinal), pages);
        }

        [Theory]
        [InlineData("README.md")]
        [InlineData("docs/readme-fragments/package-and-ci.md")]
        public void Readme_rule_table_lists_every_descriptor(string file)
        {
            var expected = AllDescriptors()
                .Select(d => new[] { $"[{d.Id}](docs/rules/{d.Id}.md)", d.Title.ToString(), d.Category, d.DefaultSeverity.ToString() })
                .ToList();

            var rows = TableAfter(RepositoryFiles.Read(file), "## Rules");

            Assert.Equal(new[] { "ID", "Title", "Category", "Default severity" }, rows[0]);
            Assert.Equal(expected.Count, rows.Count - 1);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], rows[i + 1]);
            }
        }

        [Fact]
        public void Configuration_page_documents_options_enforcement_and_every_rule()
        {
            var page = RepositoryFiles.Read("docs/configuration.md");

            Assert.Contains("overlapped_analyzers.operation_pairs = MyCompany.Io.IoRequest.Begin:End, RingSlot.Submit:Retire", page, StringComparison.Ordinal);
            Assert.Contains("-warnaserror", page, StringComparison.Ordinal);
            Assert.Contains("-p:ErrorLog=", page, StringComparison.Ordinal);
            Assert.Contains("%2Cversion=2.1", page, StringComparison.Ordinal);
            Assert.Contains("## Generated code is not analyzed", page, StringComparison.Ordinal);

            var rows = TableAfter(page, "## Rules");
            Assert.Equal(
                AllDescriptors().Select(d => new[] { $"[{d.Id}](rules/{d.Id}.md)", d.Title.ToString() }),
                rows.Skip(1));
        }

        [Fact]
        public void Strict_preset_makes_every_rule_an_error_and_names_no_other()
        {
            var preset = RepositoryFiles.Read("samples/ci/overlapped-strict.editorconfig");
            var settings = Regex.Matches(preset, @"^dotnet_diagnostic\.(?<id>\w+)\.severity\s*=\s*(?<severity>\w+)\s*$", RegexOptions.Multiline)
                .Select(m => (Id: m.Groups["id"].Value, Severity: m.Groups["severity"].Value))
                .ToList();

            Assert.Equal(AllDescriptors().Select(d => (d.Id, "error")), settings);
        }

        [Theory]
        [InlineData("README.md")]
        [InlineData("docs/configuration.md")]
        [InlineData("docs/readme-fragments/package-and-ci.md")]
        [InlineData("docs/rules/OVL001.md")]
        [InlineData("docs/rules/OVL002.md")]
        [InlineData("docs/rules/OVL003.md")]
        [InlineData("docs/rules/OVL004.md")]
        [InlineData("docs/rules/OVL005.md")]
        [InlineData("docs/rules/OVL006.md")]
        [InlineData("docs/rules/OVL007.md")]
        [InlineData("docs/rules/OVL008.md")]
        public void Relative_links_point_at_files_that_exist(string file)
        {
            // The fragment is written for README.md's place, the repository root.
            var baseDirectory = file.StartsWith("docs/readme-fragments/", StringComparison.Ordinal)
                ? RepositoryFiles.Root
                : Path.GetDirectoryName(RepositoryFiles.PathOf(file))!;

            foreach (Match link in Regex.Matches(RepositoryFiles.Read(file), @"\]\((?<target>[^)\s#]+)(?:#[^)]*)?\)"))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = Path.GetFullPath(Path.Combine(baseDirectory, target));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{file} links to {target}, which does not exist.");
            }
        }

        private static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() => typeof(Descriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f =>
            {
                var descriptor = (DiagnosticDescriptor)f.GetValue(null)!;
                Assert.Equal(f.Name, descriptor.Id);
                return descriptor;
            })
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        private static DiagnosticDescriptor Descriptor(string id) => AllDescriptors().Single(d => d.Id == id);

        private static string Page(string id) => RepositoryFiles.Read("docs/rules/" + id + ".md").Replace("\r\n", "\n", StringComparison.Ordinal);

        /// <summary>The first markdown table after <paramref name="heading"/>: header row then data rows, separator dropped.</summary>
        private static List<string[]> TableAfter(string markdown, string heading)
        {
            var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
            Assert.True(start >= 0, "No '" + heading + "' heading.");

            var table = lines.Skip(start + 1)
                .SkipWhile(l => !l.StartsWith('|'))
                .TakeWhile(l => l.StartsWith('|'))
                .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
                .ToList();

            Assert.True(table.Count >= 2, "No table under '" + heading + "'.");
            Assert.Matches("^:?-+:?$", table[1][0]);
            table.RemoveAt(1);
            return table;
        }
    }
}
