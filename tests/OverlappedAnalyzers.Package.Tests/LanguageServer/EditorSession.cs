using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OverlappedAnalyzers.Package.Tests.EndToEnd;

namespace OverlappedAnalyzers.Package.Tests.LanguageServer
{
    /// <summary>
    /// The editor's side of an LSP session with csharp-ls on one project: initialize with the capabilities a
    /// modern editor announces (pull diagnostics, workspace configuration), open a document, edit it, and ask for
    /// its diagnostics until they show what the test waits for.
    /// </summary>
    internal sealed class EditorSession
    {
        private const int FullSync = 1;

        private readonly CSharpLanguageServer server;
        private readonly JsonObject settings;
        private readonly Dictionary<string, (string Text, int Version)> documents = new Dictionary<string, (string, int)>();
        private int syncKind = FullSync;

        /// <param name="settings">The "csharp" settings section, as the editor's configuration holds it.</param>
        public EditorSession(CSharpLanguageServer server, TempProject project, JsonObject settings)
        {
            this.server = server;
            this.settings = settings;
            Project = project;
        }

        /// <summary>The "csharp" settings section that turns csharp-ls's analyzers on (they are off by default).</summary>
        public static JsonObject AnalyzersOn => new JsonObject { ["analyzersEnabled"] = true };

        public TempProject Project { get; }

        /// <summary>
        /// What an editor answers the server's requests with: the "csharp" section of its settings for
        /// workspace/configuration, and plain acknowledgements of capability registrations and progress tokens.
        /// </summary>
        public static Func<string, JsonElement?, JsonNode?> Answering(JsonObject settings) => (method, parameters) =>
        {
            if (method != "workspace/configuration")
            {
                // client/registerCapability, window/workDoneProgress/create, ...: accepted, nothing to return.
                return null;
            }

            var answers = new JsonArray();
            if (parameters is not { } request || !request.TryGetProperty("items", out var items))
            {
                return answers;
            }

            foreach (var item in items.EnumerateArray())
            {
                var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
                answers.Add(section switch
                {
                    "csharp" => settings.DeepClone(),
                    null or "" => new JsonObject { ["csharp"] = settings.DeepClone() },
                    _ => null,
                });
            }

            return answers;
        };

        public async Task InitializeAsync()
        {
            var root = new Uri(Project.Directory + Path.DirectorySeparatorChar).AbsoluteUri;
            var capabilities = new JsonObject
            {
                ["workspace"] = new JsonObject
                {
                    ["configuration"] = true,
                    ["workspaceFolders"] = true,
                    ["didChangeConfiguration"] = new JsonObject { ["dynamicRegistration"] = false },
                },
                ["textDocument"] = new JsonObject
                {
                    ["synchronization"] = new JsonObject { ["dynamicRegistration"] = false, ["didSave"] = true },
                    ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true, ["codeDescriptionSupport"] = true },
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false, ["relatedDocumentSupport"] = false },
                },
                ["window"] = new JsonObject { ["workDoneProgress"] = true },
            };
            var parameters = new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["clientInfo"] = new JsonObject { ["name"] = "OverlappedAnalyzers.Package.Tests" },
                ["rootUri"] = root,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = root, ["name"] = Project.Name }),
                ["capabilities"] = capabilities,
            };

            using var guard = new CancellationTokenSource(CSharpLanguageServer.HangGuard);
            var result = await server.Connection.RequestAsync("initialize", parameters, guard.Token);
            syncKind = SyncKind(result.GetProperty("capabilities"));
            await server.Connection.NotifyAsync("initialized", new JsonObject());

            // Servers that read settings from the notification rather than asking for them get them here too.
            await server.Connection.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
            {
                ["settings"] = new JsonObject { ["csharp"] = settings.DeepClone() },
            });
        }

        /// <summary>The document's URI and text as on disk.</summary>
        public string Open(string relativePath, out string text)
        {
            var path = Project.PathOf(relativePath);
            text = File.ReadAllText(path);
            return new Uri(path).AbsoluteUri;
        }

        public Task OpenAsync(string uri, string text)
        {
            documents[uri] = (text, 1);
            return server.Connection.NotifyAsync("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
            });
        }

        /// <summary>
        /// Types <paramref name="statement"/> as a new line before the 0-based <paramref name="line"/>, with that
        /// line's indentation: a ranged change when the server syncs incrementally, the whole text otherwise.
        /// </summary>
        public Task InsertLineAsync(string uri, int line, string statement)
        {
            var (text, version) = documents[uri];
            var lines = text.Split('\n').ToList();
            var indentation = new string(lines[line].TakeWhile(char.IsWhiteSpace).ToArray());
            var inserted = indentation + statement + "\n";
            lines.Insert(line, inserted.TrimEnd('\n'));
            var newText = string.Join("\n", lines);
            documents[uri] = (newText, version + 1);

            JsonObject change = syncKind == FullSync
                ? new JsonObject { ["text"] = newText }
                : new JsonObject
                {
                    ["range"] = new JsonObject { ["start"] = Position(line, 0), ["end"] = Position(line, 0) },
                    ["text"] = inserted,
                };
            return server.Connection.NotifyAsync("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version + 1 },
                ["contentChanges"] = new JsonArray(change),
            });
        }

        /// <summary>
        /// Asks for the document's diagnostics until <paramref name="until"/> holds. Pull (textDocument/diagnostic),
        /// not push: the answer is computed for the document as it is now, where a pushed list may predate the
        /// edit. The first answer waits for the server to load the project; later ones for it to take in the
        /// latest edit. Only a server that never gets there meets the hang guard.
        /// </summary>
        public async Task<IReadOnlyList<JsonElement>> WaitForDiagnosticsAsync(string uri, Func<IReadOnlyList<JsonElement>, bool> until)
        {
            using var guard = new CancellationTokenSource(CSharpLanguageServer.HangGuard);
            IReadOnlyList<JsonElement> last = Array.Empty<JsonElement>();
            var asked = 0;
            try
            {
                while (true)
                {
                    asked++;
                    var report = await server.Connection.RequestAsync("textDocument/diagnostic", new JsonObject
                    {
                        ["textDocument"] = new JsonObject { ["uri"] = uri },
                    }, guard.Token);
                    if (report.ValueKind == JsonValueKind.Object && report.TryGetProperty("items", out var items))
                    {
                        last = items.EnumerateArray().Select(i => i.Clone()).ToList();
                        if (until(last))
                        {
                            return last;
                        }
                    }

                    // Ask again when the server says something (progress, log, diagnostics) or after a short pause.
                    using var pause = CancellationTokenSource.CreateLinkedTokenSource(guard.Token);
                    pause.CancelAfter(TimeSpan.FromMilliseconds(500));
                    try
                    {
                        await server.Connection.WaitForNotificationAsync(pause.Token);
                    }
                    catch (OperationCanceledException) when (!guard.IsCancellationRequested)
                    {
                    }
                }
            }
            catch (OperationCanceledException) when (guard.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"csharp-ls did not get there within the hang guard ({CSharpLanguageServer.HangGuard.TotalMinutes:0} min, {asked} requests); last diagnostics:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, last.Select(d => d.GetRawText())));
            }
        }

        private static JsonObject Position(int line, int character) => new JsonObject { ["line"] = line, ["character"] = character };

        /// <summary>textDocumentSync is either a kind or an options object with "change".</summary>
        private static int SyncKind(JsonElement capabilities)
        {
            if (!capabilities.TryGetProperty("textDocumentSync", out var sync))
            {
                return FullSync;
            }

            return sync.ValueKind == JsonValueKind.Number
                ? sync.GetInt32()
                : sync.TryGetProperty("change", out var change) ? change.GetInt32() : FullSync;
        }
    }
}
