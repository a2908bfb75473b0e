using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OverlappedAnalyzers.Package.Tests.EndToEnd;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Package.Tests.LanguageServer
{
    /// <summary>
    /// The package in an editor host: csharp-ls, started over stdio on a fresh project that references the
    /// packed package, with analyzers turned on the way an editor's settings turn them on. The incident's Receive
    /// shows OVL001 on the throw, with the rule's help link; typing the Complete() call makes it go away.
    /// </summary>
    public sealed class LanguageServerTests
    {
        private const string Receiver = "OverlappedSocket.cs";
        private const string FixLine = "m_inOverlapped.Complete();";

        /// <summary>
        /// A second Receive with the same leak, left alone: after the edit its OVL001 must still be there, which shows
        /// the analyzers ran on the edited document (an empty list alone could be a server that stopped analysing).
        /// </summary>
        private const string OtherThrowMarker = "throw new SocketException((int)error);";

        private const string OtherReceive = """
            public void ReceiveAgain(IntPtr buffers)
                    {
                        m_inOverlapped.StartOperation();

                        int flags = 0;
                        SocketError error = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
                        if (error != SocketError.Success)
                        {
                            error = (SocketError)Marshal.GetLastWin32Error();
                            if (error != SocketError.IOPending)
                            {
                                throw new SocketException((int)error);
                            }
                        }
                    }

            """;

        /// <summary>A method above Receive with a local the compiler warns about (CS0168): no leak, nothing of ours.</summary>
        private const string UnusedLocal = """
            public void Unused()
                    {
                        int unused;
                    }

            """;

        private readonly ITestOutputHelper output;

        public LanguageServerTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public Task Csharp_ls_reports_OVL001_with_its_help_link_and_drops_it_when_Complete_is_typed() =>
            RunSessionAsync("Editor", OtherReceive, EditorSession.AnalyzersOn, async (session, uri, clock) =>
            {
                var throwLine = session.Project.LineOf(Receiver, Sources.ThrowMarker);
                var otherThrowLine = session.Project.LineOf(Receiver, OtherThrowMarker);
                var reported = await session.WaitForDiagnosticsAsync(uri, items => items.Count(IsOvl001) == 2);
                output.WriteLine($"OVL001 after {clock.Elapsed.TotalSeconds:0.0} s (install, start, load, analysis)");
                Assert.Equal(new[] { otherThrowLine - 1, throwLine - 1 }, reported.Where(IsOvl001).Select(Line).OrderBy(l => l));
                var ovl001 = reported.Single(d => IsOvl001(d) && Line(d) == throwLine - 1);
                Assert.Equal(RuleIdentifiers.GetHelpUri("OVL001"), ovl001.GetProperty("codeDescription").GetProperty("href").GetString());
                Assert.Equal(2, ovl001.GetProperty("severity").GetInt32());
                Assert.Contains("m_inOverlapped", ovl001.GetProperty("message").GetString(), StringComparison.Ordinal);

                // The user types the missing call on the line above the throw.
                var edit = clock.Elapsed;
                await session.InsertLineAsync(uri, throwLine - 1, FixLine);
                var afterEdit = await session.WaitForDiagnosticsAsync(uri, items => items.Count(IsOvl001) == 1);
                output.WriteLine($"OVL001 gone {(clock.Elapsed - edit).TotalSeconds:0.0} s after the edit; {afterEdit.Count} diagnostics left");

                // The fixed Receive is clean (the throw moved down a line); the untouched one still warns.
                var remaining = Assert.Single(afterEdit, IsOurs);
                Assert.True(IsOvl001(remaining));
                Assert.Equal(otherThrowLine - 1, Line(remaining));
            });

        /// <summary>
        /// What README tells csharp-ls users: with its default settings the server runs no analyzer, so the leak
        /// goes unreported until analyzersEnabled is set. The compiler's own warning on the same document shows
        /// the answer is a real analysis of the loaded project, not an empty one.
        /// </summary>
        [Fact]
        public Task Csharp_ls_with_default_settings_runs_no_analyzer() =>
            RunSessionAsync("EditorDefaults", UnusedLocal, new JsonObject(), async (session, uri, clock) =>
            {
                var reported = await session.WaitForDiagnosticsAsync(uri, items => items.Any(d => Code(d) == "CS0168"));
                output.WriteLine($"compiler diagnostics after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", reported.Select(Code))}");
                Assert.DoesNotContain(reported, IsOurs);
            });

        /// <summary>
        /// A restored project with the incident's Receive (and <paramref name="onMethod"/> above it), csharp-ls on it
        /// with <paramref name="settings"/> as the "csharp" section, and the receiver's document open.
        /// </summary>
        private static async Task RunSessionAsync(string name, string onMethod, JsonObject settings, Func<EditorSession, string, Stopwatch, Task> scenario)
        {
            var project = TempProject.Create(name, new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                [Receiver] = Sources.Receiver("OverlappedSocket", onMethod: onMethod),
            });
            try
            {
                // An editor opens a project that has been restored: csharp-ls loads it with MSBuild but restores nothing.
                var restore = project.Run("restore", project.ProjectFile);
                Assert.True(restore.ExitCode == 0, restore.ToString());

                var clock = Stopwatch.StartNew();
                await using var server = CSharpLanguageServer.Start(project.Directory, EditorSession.Answering(settings));
                var session = new EditorSession(server, project, settings);
                try
                {
                    await session.InitializeAsync();
                    var uri = session.Open(Receiver, out var text);
                    await session.OpenAsync(uri, text);
                    await scenario(session, uri, clock);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    throw new InvalidOperationException("csharp-ls session failed; server log:" + Environment.NewLine + server.Log, e);
                }
            }
            finally
            {
                project.Delete();
            }
        }

        private static string? Code(JsonElement diagnostic) =>
            diagnostic.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;

        private static bool IsOurs(JsonElement diagnostic) => Code(diagnostic)?.StartsWith("OVL", StringComparison.Ordinal) == true;

        private static int Line(JsonElement diagnostic) => diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32();

        private static bool IsOvl001(JsonElement diagnostic) => Code(diagnostic) == "OVL001";
    }
}
