using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OverlappedAnalyzers.Package.Tests.Infrastructure;

namespace OverlappedAnalyzers.Package.Tests.LanguageServer
{
    /// <summary>
    /// csharp-ls (https://github.com/razzmatazz/csharp-language-server), the Roslyn-based language server that
    /// Neovim, Emacs, Helix and Sublime LSP start for C#, run over stdio the way those editors run it. The tool
    /// is installed once per test run into a private tool path under the test's temp folder: nothing global,
    /// nothing left behind, and a failed install fails the test.
    /// </summary>
    internal sealed class CSharpLanguageServer : IAsyncDisposable
    {
        public const string ToolPackage = "csharp-ls";

        /// <summary>0.28.0 targets net10.0, the SDK this repository builds with: no roll-forward needed.</summary>
        public const string ToolVersion = "0.28.0";

        /// <summary>
        /// The last resort against a server that never answers, not a speed limit: a cold start restores nothing
        /// but loads MSBuild and the project, about 20 s on a quiet 2-core machine, several times that on a busy one.
        /// </summary>
        public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(15);

        private static readonly Lazy<string> LazyExecutable = new Lazy<string>(Install);

        private readonly Process process;
        private readonly StringBuilder log = new StringBuilder();

        private CSharpLanguageServer(Process process, JsonRpcConnection connection)
        {
            this.process = process;
            Connection = connection;
        }

        public JsonRpcConnection Connection { get; }

        /// <summary>What the server wrote to stderr (its log), for failure messages.</summary>
        public string Log
        {
            get
            {
                lock (log)
                {
                    return log.ToString();
                }
            }
        }

        /// <summary>Starts the server in <paramref name="workingDirectory"/>; <paramref name="answer"/> answers its requests.</summary>
        public static CSharpLanguageServer Start(string workingDirectory, Func<string, JsonElement?, JsonNode?> answer)
        {
            var start = new ProcessStartInfo(LazyExecutable.Value)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--loglevel");
            start.ArgumentList.Add("info");
            DotNet.PrepareEnvironment(start);

            var process = new Process { StartInfo = start };
            process.Start();
            var server = new CSharpLanguageServer(process, new JsonRpcConnection(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, answer));
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (server.log)
                    {
                        server.log.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            return server;
        }

        /// <summary>LSP's orderly end (shutdown, exit); a server that does not leave within the guard is killed.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!process.HasExited)
                {
                    using var guard = new CancellationTokenSource(HangGuard);
                    await Connection.RequestAsync("shutdown", null, guard.Token).ConfigureAwait(false);
                    await Connection.NotifyAsync("exit", null).ConfigureAwait(false);
                    await process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // Already gone, or stuck: the kill below ends it either way.
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }

                process.Dispose();
            }
        }

        /// <summary>dotnet tool install into a private tool path; the path of the server's executable.</summary>
        private static string Install()
        {
            var toolPath = Path.Combine(PackedPackage.TempRoot, "tools");
            var result = DotNet.Run(PackedPackage.TempRoot, "tool", "install", ToolPackage, "--version", ToolVersion, "--tool-path", toolPath);
            var executable = Path.Combine(toolPath, OperatingSystem.IsWindows() ? ToolPackage + ".exe" : ToolPackage);
            if (result.ExitCode != 0 || !File.Exists(executable))
            {
                throw new InvalidOperationException($"Could not install {ToolPackage} {ToolVersion} into {toolPath}:{Environment.NewLine}{result}");
            }

            return executable;
        }
    }
}
