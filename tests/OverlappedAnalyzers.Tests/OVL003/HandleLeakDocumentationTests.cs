using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL003
{
    /// <summary>The OVL003/OVL005 pages exist, are titled by the descriptor, and carry every required section.</summary>
    public class HandleLeakDocumentationTests
    {
        public static TheoryData<string> Rules => new TheoryData<string> { "OVL003", "OVL005" };

        [Theory]
        [MemberData(nameof(Rules))]
        public void PageMatchesDescriptor(string id)
        {
            var descriptor = id == "OVL003" ? Descriptors.OVL003 : Descriptors.OVL005;
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "rules", id + ".md"));
            Assert.Equal("# " + id + ": " + descriptor.Title.ToString(), lines[0]);
            foreach (var section in new[] { "## What it finds", "## Why it matters", "## Non-compliant code", "## Compliant code", "## Code fix", "## Options", "## How to suppress" })
            {
                Assert.Contains(section, lines);
            }

            Assert.Contains(lines, l => l.Contains("dotnet_diagnostic." + id + ".severity = none", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("static readonly", StringComparison.Ordinal));
            Assert.Equal(RuleIdentifiers.GetHelpUri(id), descriptor.HelpLinkUri);
        }
    }
}
