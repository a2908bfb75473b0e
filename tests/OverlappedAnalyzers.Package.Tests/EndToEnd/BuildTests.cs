using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>dotnet build on the incident's shape: the warning, its SARIF record, and the build failing under -warnaserror.</summary>
    public sealed class BuildTests : IClassFixture<BuildTests.LeakyProject>
    {
        private const string Receiver = "OverlappedSocket.cs";

        private readonly LeakyProject _scenario;

        public BuildTests(LeakyProject scenario)
        {
            _scenario = scenario;
        }

        [Fact]
        public void Build_reports_OVL001_as_a_warning_on_the_throw()
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());

            var diagnostic = Assert.Single(build.WithId("OVL001"));
            Assert.True(diagnostic.IsIn(Receiver), build.ToString());
            Assert.Equal(_scenario.ThrowLine, diagnostic.Line);
            Assert.Equal("warning", diagnostic.Severity);
            Assert.Contains("m_inOverlapped", diagnostic.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Build_reports_no_other_rule_on_code_that_only_leaks_on_the_failure_path()
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Equal(new[] { "OVL001" }, build.Diagnostics.Select(d => d.Id).Distinct());
        }

        [Fact]
        public void Warnaserror_fails_the_build_on_OVL001()
        {
            var build = _scenario.Project.Build("-warnaserror");

            Assert.True(build.ExitCode != 0, build.ToString());
            var diagnostic = Assert.Single(build.WithId("OVL001"));
            Assert.Equal("error", diagnostic.Severity);
            Assert.True(diagnostic.IsIn(Receiver), build.ToString());
            Assert.Equal(_scenario.ThrowLine, diagnostic.Line);
        }

        [Fact]
        public void ErrorLog_writes_a_SARIF_2_1_log_with_the_rule_its_help_uri_and_the_location()
        {
            Assert.True(_scenario.Build.ExitCode == 0, _scenario.Build.ToString());
            Assert.True(File.Exists(_scenario.SarifPath), "No SARIF log at " + _scenario.SarifPath + Environment.NewLine + _scenario.Build);

            using var document = JsonDocument.Parse(File.ReadAllText(_scenario.SarifPath));
            var root = document.RootElement;
            Assert.Equal("2.1.0", root.GetProperty("version").GetString());

            var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
            var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
                .Single(r => r.GetProperty("id").GetString() == "OVL001");
            Assert.Equal(RuleIdentifiers.GetHelpUri("OVL001"), rule.GetProperty("helpUri").GetString());
            Assert.Equal(Descriptors.OVL001.Title.ToString(), rule.GetProperty("shortDescription").GetProperty("text").GetString());

            var result = Assert.Single(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "OVL001");
            Assert.Equal("warning", result.GetProperty("level").GetString());
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.EndsWith("/" + Receiver, location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            Assert.Equal(_scenario.ThrowLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        }

        /// <summary>The project, and one build of it that prints the warnings and writes the SARIF log.</summary>
        public sealed class LeakyProject : IDisposable
        {
            private readonly Lazy<TempProject> _project;
            private readonly Lazy<CommandResult> _build;

            public LeakyProject()
            {
                _project = new Lazy<TempProject>(() => TempProject.Create("Leaky", new Dictionary<string, string>
                {
                    ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                    [Receiver] = Sources.Receiver("OverlappedSocket"),
                }));

                // The comma between the path and the SARIF version is escaped: on a command line, MSBuild reads a
                // bare ',' in a -p: value as a separator between properties.
                _build = new Lazy<CommandResult>(() => Project.Build("-p:ErrorLog=" + SarifPath + "%2Cversion=2.1"));
            }

            internal TempProject Project => _project.Value;

            internal CommandResult Build => _build.Value;

            public void Dispose()
            {
                if (_project.IsValueCreated)
                {
                    _project.Value.Delete();
                }
            }

            internal string SarifPath => Path.Combine(Project.Directory, "out.sarif");

            internal int ThrowLine => Project.LineOf(Receiver, Sources.ThrowMarker);
        }
    }
}
