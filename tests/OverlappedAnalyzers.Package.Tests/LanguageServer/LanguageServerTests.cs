using System;
using System.Collections.Generic;
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

        private readonly ITestOutputHelper output;

        public LanguageServerTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public async Task Csharp_ls_reports_OVL001_with_its_help_link_and_drops_it_when_Complete_is_typed()
        {
            var project = TempProject.Create("Editor", new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                [Receiver] = Sources.Receiver("OverlappedSocket", onMethod: OtherReceive),
            });
            try
            {
                // An editor opens a project that has been restored: csharp-ls loads it with MSBuild but restores nothing.
                var restore = project.Run("restore", project.ProjectFile);
                Assert.True(restore.ExitCode == 0, restore.ToString());

                var clock = System.Diagnostics.Stopwatch.StartNew();
                await using var server = CSharpLanguageServer.Start(project.Directory, AnswerServerRequest);
                var session = new EditorSession(server, project);
                try
                {
                    await session.InitializeAsync();
                    var uri = session.Open(Receiver, out var text);
                    await session.OpenAsync(uri, text);

                    var throwLine = project.LineOf(Receiver, Sources.ThrowMarker);
                    var otherThrowLine = project.LineOf(Receiver, OtherThrowMarker);
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
                    var remaining = Assert.Single(afterEdit, d => d.GetProperty("code").ToString().StartsWith("OVL", StringComparison.Ordinal));
                    Assert.True(IsOvl001(remaining));
                    Assert.Equal(otherThrowLine - 1, Line(remaining));
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

        private static int Line(JsonElement diagnostic) => diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32();

        private static bool IsOvl001(JsonElement diagnostic) =>
            diagnostic.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString() == "OVL001";

        /// <summary>
        /// What an editor answers: the "csharp" settings section with analyzers on (csharp-ls runs no analyzer
        /// without it), and plain acknowledgements of capability registrations and progress tokens.
        /// </summary>
        private static JsonNode? AnswerServerRequest(string method, JsonElement? parameters)
        {
            switch (method)
            {
                case "workspace/configuration":
                    var items = parameters?.GetProperty("items").EnumerateArray().ToList() ?? new List<JsonElement>();
                    var answers = new JsonArray();
                    foreach (var item in items)
                    {
                        var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
                        answers.Add(section switch
                        {
                            "csharp" => EditorSession.CSharpSettings(),
                            null or "" => new JsonObject { ["csharp"] = EditorSession.CSharpSettings() },
                            _ => null,
                        });
                    }

                    return answers;
                default:
                    // client/registerCapability, window/workDoneProgress/create, ...: accepted, nothing to return.
                    return null;
            }
        }
    }
}
