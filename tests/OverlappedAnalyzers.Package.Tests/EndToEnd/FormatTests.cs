using System;
using System.Collections.Generic;
using System.IO;
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

    /// <summary>
    /// An AsyncIO-like project with every rule's fixable shape — StartOperation overloads that forward and no
    /// Complete(), a BCL Overlapped.Pack file under <c>using System.Threading;</c>, a commented throw, a CRLF file, a
    /// readonly GCHandle freed nowhere and a one-line Dispose, an OVL006 late start — gets ONE
    /// <c>dotnet format analyzers</c> run. The result must equal the expected files beside this test
    /// (EndToEnd/AsyncIoLike/After) byte for byte, and rebuild without an OVL diagnostic.
    /// </summary>
    public sealed class AsyncIoLikeFormatTests : IClassFixture<AsyncIoLikeFormatTests.FormattedAsyncIoProject>
    {
        private static readonly string[] RuleIds = { "OVL001", "OVL002", "OVL003", "OVL004", "OVL005", "OVL006" };

        private readonly FormattedAsyncIoProject _scenario;

        public AsyncIoLikeFormatTests(FormattedAsyncIoProject scenario)
        {
            _scenario = scenario;
        }

        [Fact]
        public void Every_rule_reports_before_formatting()
        {
            var before = _scenario.Before;
            Assert.True(before.ExitCode == 0, before.ToString());
            foreach (var id in RuleIds)
            {
                Assert.True(before.WithId(id).Any(), id + " not reported" + Environment.NewLine + before);
            }
        }

        [Fact]
        public void One_format_run_writes_exactly_the_expected_files()
        {
            Assert.True(_scenario.Format.ExitCode == 0, _scenario.Format.ToString());
            foreach (var (projectFile, expectedPath, crlf) in FormattedAsyncIoProject.Files("After"))
            {
                var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
                if (crlf)
                {
                    expected = expected.Replace("\n", "\r\n", StringComparison.Ordinal);
                }

                var actual = _scenario.Project.Read(projectFile);
                Assert.True(expected == actual, projectFile + " differs from the expected file:" + Environment.NewLine + actual + Environment.NewLine + _scenario.Format);
            }
        }

        [Fact]
        public void Rebuilt_project_has_no_OVL_diagnostic()
        {
            var after = _scenario.After;
            Assert.True(after.ExitCode == 0, _scenario.Format + Environment.NewLine + after);
            Assert.DoesNotContain(after.Diagnostics, d => d.Id.StartsWith("OVL", StringComparison.Ordinal));
        }

        public sealed class FormattedAsyncIoProject : IDisposable
        {
            private readonly Lazy<TempProject> _project = new Lazy<TempProject>(CreateProject);
            private readonly Lazy<CommandResult> _before;
            private readonly Lazy<CommandResult> _format;
            private readonly Lazy<CommandResult> _after;

            public FormattedAsyncIoProject()
            {
                _before = new Lazy<CommandResult>(() => Project.Build());
                _format = new Lazy<CommandResult>(() =>
                {
                    _ = Before;
                    return Project.Run(new[] { "format", "analyzers", Project.ProjectFile, "--diagnostics" }.Concat(RuleIds).Concat(new[] { "--severity", "warn", "--verbosity", "detailed" }).ToArray());
                });
                _after = new Lazy<CommandResult>(() =>
                {
                    _ = Format;
                    return Project.Build();
                });
            }

            internal TempProject Project => _project.Value;

            internal CommandResult Before => _before.Value;

            internal CommandResult Format => _format.Value;

            internal CommandResult After => _after.Value;

            /// <summary>The project's files and their source beside this test; a ".crlf.cs" file is written with CRLF line endings.</summary>
            internal static IEnumerable<(string ProjectFile, string SourcePath, bool Crlf)> Files(string folder)
            {
                var directory = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "AsyncIoLike", folder);
                foreach (var path in Directory.GetFiles(directory, "*.cs").OrderBy(p => p, StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(path);
                    var crlf = name.EndsWith(".crlf.cs", StringComparison.Ordinal);
                    yield return (crlf ? name.Replace(".crlf.cs", ".cs", StringComparison.Ordinal) : name, path, crlf);
                }
            }

            public void Dispose()
            {
                if (_project.IsValueCreated)
                {
                    _project.Value.Delete();
                }
            }

            private static TempProject CreateProject()
            {
                var project = TempProject.Create("AsyncIoLike", new Dictionary<string, string>());
                foreach (var (projectFile, sourcePath, crlf) in Files("Before"))
                {
                    var text = File.ReadAllText(sourcePath).Replace("\r\n", "\n", StringComparison.Ordinal);
                    File.WriteAllText(project.PathOf(projectFile), crlf ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text);
                }

                // Overlapped.Pack hands out a NativeOverlapped*: the BCL-pair file needs unsafe code.
                var csproj = File.ReadAllText(project.ProjectFile);
                File.WriteAllText(project.ProjectFile, csproj.Replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>", StringComparison.Ordinal));
                return project;
            }
        }
    }
}
