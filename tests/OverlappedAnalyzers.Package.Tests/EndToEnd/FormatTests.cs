using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>
    /// dotnet format applies the package's code fixes from the command line: the missing Complete() is added
    /// (OVL001), the wrong overlapped is replaced by the started one (OVL002), and the result builds clean.
    /// </summary>
    public sealed class FormatTests : IClassFixture<FormatTests.FormattedProject>
    {
        private readonly FormattedProject _scenario;

        public FormatTests(FormattedProject scenario)
        {
            _scenario = scenario;
        }

        [Fact]
        public void Project_reports_both_rules_before_formatting()
        {
            var before = _scenario.Before;
            Assert.True(before.ExitCode == 0, before.ToString());
            Assert.Single(before.WithId("OVL001"), d => d.IsIn("OverlappedSocket.cs"));
            Assert.Single(before.WithId("OVL002"), d => d.IsIn("DuplexSocket.cs"));
        }

        [Fact]
        public void Format_inserts_the_missing_Complete_before_the_throw()
        {
            Assert.True(_scenario.Format.ExitCode == 0, _scenario.Format.ToString());
            var text = _scenario.Project.Read("OverlappedSocket.cs");
            Assert.Matches(new Regex(@"\n(?<indent>[ ]+)m_inOverlapped\.Complete\(\);\n\k<indent>throw new SocketException\(\(int\)socketError\);"), text);
        }

        [Fact]
        public void Format_completes_the_started_overlapped_instead_of_the_other_one()
        {
            Assert.True(_scenario.Format.ExitCode == 0, _scenario.Format.ToString());
            var text = _scenario.Project.Read("DuplexSocket.cs");
            Assert.DoesNotContain("m_outOverlapped.Complete()", text, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"\n(?<indent>[ ]+)m_inOverlapped\.Complete\(\);\n\k<indent>throw new SocketException\(\(int\)socketError\);"), text);
        }

        [Fact]
        public void Formatted_project_builds_without_a_warning()
        {
            var after = _scenario.After;
            Assert.True(after.ExitCode == 0, _scenario.Format + Environment.NewLine + after);
            Assert.Empty(after.Diagnostics);
        }

        public sealed class FormattedProject : IDisposable
        {
            private readonly Lazy<TempProject> _project = new Lazy<TempProject>(() => TempProject.Create("Format", new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                ["OverlappedSocket.cs"] = Sources.Receiver("OverlappedSocket"),
                ["DuplexSocket.cs"] = Sources.WrongOverlappedCompleted,
            }));

            private readonly Lazy<CommandResult> _before;
            private readonly Lazy<CommandResult> _format;
            private readonly Lazy<CommandResult> _after;

            public FormattedProject()
            {
                _before = new Lazy<CommandResult>(() => Project.Build());
                _format = new Lazy<CommandResult>(() =>
                {
                    _ = Before;
                    return Project.Run("format", "analyzers", Project.ProjectFile, "--diagnostics", "OVL001", "OVL002", "--severity", "warn", "--verbosity", "detailed");
                });

                // -warnaserror: "clean" means no warning of any kind, not only none of ours.
                _after = new Lazy<CommandResult>(() =>
                {
                    _ = Format;
                    return Project.Build("-warnaserror");
                });
            }

            internal TempProject Project => _project.Value;

            internal CommandResult Before => _before.Value;

            internal CommandResult Format => _format.Value;

            internal CommandResult After => _after.Value;

            public void Dispose()
            {
                if (_project.IsValueCreated)
                {
                    _project.Value.Delete();
                }
            }
        }
    }
}
