using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OverlappedAnalyzers.Package.Tests.Infrastructure;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>
    /// A fresh net10.0 class library that uses the packed package the way a user does: a PackageReference
    /// restored from a local folder feed. It lives under the temp folder, so it inherits nothing from this
    /// repository; the workspace around it pins what a user's machine would otherwise decide.
    /// </summary>
    internal sealed class TempProject
    {
        private static readonly Lazy<string> LazyWorkspace = new Lazy<string>(CreateWorkspace);

        private TempProject(string name)
        {
            Name = name;
            Directory = Path.Combine(LazyWorkspace.Value, name);
            ProjectFile = Path.Combine(Directory, name + ".csproj");
        }

        public string Name { get; }

        public string Directory { get; }

        public string ProjectFile { get; }

        /// <summary>Writes the project and its files (paths relative to the project folder, '/'-separated).</summary>
        public static TempProject Create(string name, IReadOnlyDictionary<string, string> files)
        {
            var project = new TempProject(name);
            System.IO.Directory.CreateDirectory(project.Directory);
            File.WriteAllText(project.ProjectFile, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{PackedPackage.Id}" Version="{PackedPackage.Version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);

            foreach (var (path, text) in files)
            {
                project.Write(path, text);
            }

            return project;
        }

        public string PathOf(string relativePath) => Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));

        public void Write(string relativePath, string text)
        {
            var path = PathOf(relativePath);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

        /// <summary>1-based number of the only line of <paramref name="relativePath"/> that contains <paramref name="marker"/>.</summary>
        public int LineOf(string relativePath, string marker)
        {
            var lines = Read(relativePath).Split('\n');
            var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToList();
            if (hits.Count != 1)
            {
                throw new InvalidOperationException($"'{marker}' occurs {hits.Count} times in {relativePath}, expected once.");
            }

            return hits[0] + 1;
        }

        /// <summary>
        /// A full build (never incremental: an up-to-date build skips the compiler and so reports no warnings).
        /// </summary>
        public CommandResult Build(params string[] extraArguments) =>
            DotNet.Run(
                Directory,
                new[] { "build", ProjectFile, "--no-incremental" }.Concat(DotNet.QuietBuildFlags).Concat(extraArguments).ToArray());

        public CommandResult Run(params string[] arguments) => DotNet.Run(Directory, arguments);

        /// <summary>Removes the project and its bin/obj (kept when OVERLAPPED_ANALYZERS_KEEP_TEMP=1).</summary>
        public void Delete() => PackedPackage.TryDelete(Directory);

        private static string CreateWorkspace()
        {
            var workspace = Path.Combine(PackedPackage.TempRoot, "e2e");
            System.IO.Directory.CreateDirectory(workspace);

            // The local feed is added to the machine's sources, not instead of them: restoring the SDK's own
            // packs may still need the default source.
            File.WriteAllText(Path.Combine(workspace, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="overlapped-analyzers-under-test" value="{Path.GetDirectoryName(PackedPackage.NupkgPath)}" />
                  </packageSources>
                </configuration>
                """);

            // A private packages folder: the user's global cache may hold an older OverlappedAnalyzers with the
            // same version number, and NuGet would serve that one instead of the package just packed.
            File.WriteAllText(Path.Combine(workspace, "Directory.Build.props"), """
                <Project>
                  <PropertyGroup>
                    <RestorePackagesPath>$(MSBuildThisFileDirectory)packages</RestorePackagesPath>
                  </PropertyGroup>
                </Project>
                """);

            // Stops the search for .editorconfig files here; each scenario adds its own below.
            File.WriteAllText(Path.Combine(workspace, ".editorconfig"), "root = true\n");
            return workspace;
        }
    }
}
