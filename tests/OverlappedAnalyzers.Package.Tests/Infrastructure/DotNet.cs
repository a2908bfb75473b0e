using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OverlappedAnalyzers.Package.Tests.Infrastructure
{
    /// <summary>The outcome of one dotnet command: what a user would see in the terminal.</summary>
    internal sealed class CommandResult
    {
        private static readonly Regex DiagnosticLine = new Regex(
            @"^\s*(?<file>[^\s].*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error) (?<id>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]+\])?\s*$",
            RegexOptions.Multiline | RegexOptions.CultureInvariant);

        public CommandResult(string commandLine, int exitCode, string output)
        {
            CommandLine = commandLine;
            ExitCode = exitCode;
            Output = output;
            Diagnostics = DiagnosticLine.Matches(output)
                .Select(m => new BuildDiagnostic(
                    m.Groups["file"].Value.Trim(),
                    int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    m.Groups["severity"].Value,
                    m.Groups["id"].Value,
                    m.Groups["message"].Value))
                .Distinct()
                .ToList();
        }

        public string CommandLine { get; }

        public int ExitCode { get; }

        public string Output { get; }

        /// <summary>Compiler diagnostics printed as <c>file(line,col): severity ID: message</c>, each once.</summary>
        public IReadOnlyList<BuildDiagnostic> Diagnostics { get; }

        public IEnumerable<BuildDiagnostic> WithId(string id) => Diagnostics.Where(d => d.Id == id);

        /// <summary>Everything a failed assertion needs to explain itself.</summary>
        public override string ToString() => "> " + CommandLine + Environment.NewLine + "exit code " + ExitCode + Environment.NewLine + Output;
    }

    internal sealed record BuildDiagnostic(string File, int Line, string Severity, string Id, string Message)
    {
        public bool IsIn(string fileName) =>
            System.IO.Path.GetFileName(File).Equals(fileName, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the real SDK the way a user or CI does, but leaves nothing behind: no MSBuild node reuse, no
    /// compiler server, no MSBuild server, so no process outlives the command (and none holds our pipes open).
    /// </summary>
    internal static class DotNet
    {
        /// <summary>
        /// A hang guard, not a speed limit: a pack or build takes well under a minute on a quiet machine, but took
        /// over 5 minutes on a 2-core machine shared by five .NET builds and two CPU hogs.
        /// </summary>
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

        /// <summary>Flags that keep a build self-contained and its output parseable.</summary>
        public static readonly string[] QuietBuildFlags =
        {
            "-nologo", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:q",
        };

        public static CommandResult Run(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            PrepareEnvironment(start);

            var commandLine = "dotnet " + string.Join(" ", arguments);
            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException("Timed out after " + Timeout + ": " + commandLine + Environment.NewLine + Snapshot(output));
            }

            process.WaitForExit();
            return new CommandResult(commandLine, process.ExitCode, Snapshot(output));
        }

        /// <summary>
        /// The environment of a child the SDK runs or that loads MSBuild (a build, a language server): what a user's
        /// shell would give it, and DOTNET_ROOT, so a tool's apphost finds the same dotnet that runs these tests.
        /// </summary>
        public static void PrepareEnvironment(ProcessStartInfo start)
        {
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(hostPath) && System.IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                hostPath = Environment.ProcessPath;
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && !string.IsNullOrEmpty(hostPath))
            {
                start.Environment["DOTNET_ROOT"] = System.IO.Path.GetDirectoryName(hostPath);
            }

            // The test host runs under `dotnet test`, whose MSBuild exports its own state (MSBuild*, VSTEST_*,
            // node handshakes). A child build must start from a clean slate, as a user's shell would.
            foreach (var key in start.Environment.Keys.ToList())
            {
                if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                    || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                    || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                    || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
                {
                    start.Environment.Remove(key);
                }
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["UseSharedCompilation"] = "false";

        }

        private static void Append(StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        private static string Snapshot(StringBuilder output)
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }
}
