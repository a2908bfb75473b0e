using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests
{
    /// <summary>The .nupkg as NuGet and the compiler will see it: an analyzer-only development dependency.</summary>
    public sealed class PackageTests
    {
        private const string AnalyzerFolder = "analyzers/dotnet/cs/";

        private static readonly string[] ShippedAssemblies = { "OverlappedAnalyzers.dll", "OverlappedAnalyzers.CodeFixes.dll" };

        [Fact]
        public void Package_file_is_named_after_the_one_version()
        {
            Assert.Equal("OverlappedAnalyzers." + RepositoryFiles.PackageVersion + ".nupkg", Path.GetFileName(PackedPackage.NupkgPath));
        }

        [Fact]
        public void Both_assemblies_ship_as_CSharp_analyzers_and_nothing_as_lib()
        {
            var entries = Entries();

            foreach (var assembly in ShippedAssemblies)
            {
                Assert.Contains(AnalyzerFolder + assembly, entries);
            }

            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(entries, e => e.StartsWith("ref/", StringComparison.OrdinalIgnoreCase));

            // Any other assembly would be loaded by the compiler next to ours: Roslyn itself must never ship.
            var dlls = entries.Where(e => e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e, StringComparer.Ordinal);
            Assert.Equal(ShippedAssemblies.Select(a => AnalyzerFolder + a).OrderBy(e => e, StringComparer.Ordinal), dlls);
        }

        [Fact]
        public void Nuspec_declares_a_development_dependency_without_dependencies()
        {
            var metadata = NuspecMetadata();

            Assert.Equal(PackedPackage.Id, Value(metadata, "id"));
            Assert.Equal(RepositoryFiles.PackageVersion, Value(metadata, "version"));
            Assert.Equal("true", Value(metadata, "developmentDependency"));

            // No package dependencies and no framework references: nothing flows into the user's runtime.
            Assert.Empty(metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(e => e.Descendants()));
            Assert.Empty(metadata.Elements().Where(e => e.Name.LocalName == "frameworkReferences").SelectMany(e => e.Descendants()));
            Assert.Empty(metadata.Elements().Where(e => e.Name.LocalName == "frameworkAssemblies").SelectMany(e => e.Descendants()));
        }

        [Fact]
        public void Nuspec_carries_licence_readme_project_url_release_notes_and_tags()
        {
            var metadata = NuspecMetadata();

            var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", (string?)license.Attribute("type"));
            Assert.Equal("MIT", license.Value);

            Assert.Equal(RuleIdentifiers.RepositoryUrl, Value(metadata, "projectUrl"));

            Assert.Equal("README.md", Value(metadata, "readme"));
            Assert.Equal(
                Normalize(RepositoryFiles.Read("README.md")),
                Normalize(ReadEntry("README.md")));

            var releaseNotes = Value(metadata, "releaseNotes");
            Assert.Contains(RepositoryFiles.PackageVersion, releaseNotes, StringComparison.Ordinal);

            var tags = Value(metadata, "tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("roslyn", tags);
            Assert.Contains("analyzers", tags);
            Assert.Contains("overlapped", tags);

            Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        }

        [Fact]
        public void Repository_has_the_licence_the_package_declares()
        {
            Assert.StartsWith("MIT License", RepositoryFiles.Read("LICENSE"), StringComparison.Ordinal);
        }

        [Fact]
        public void Shipped_assemblies_carry_the_one_version_and_load_in_a_Roslyn_4_8_host()
        {
            var expectedVersion = new Version(RepositoryFiles.PackageVersion.Split('-')[0]);
            var shipped = ShippedAssemblies.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);

            foreach (var assembly in ShippedAssemblies)
            {
                using var stream = new MemoryStream(ReadEntryBytes(AnalyzerFolder + assembly));
                using var pe = new PEReader(stream);
                var reader = pe.GetMetadataReader();
                var definition = reader.GetAssemblyDefinition();

                Assert.Equal(expectedVersion, Normalize(definition.Version));

                foreach (var handle in reader.AssemblyReferences)
                {
                    var reference = reader.GetAssemblyReference(handle);
                    var name = reader.GetString(reference.Name);

                    // The compiler host provides netstandard, Roslyn and its System.* dependencies; anything else
                    // would have to ship in the package, and the package ships only our two assemblies.
                    Assert.True(
                        name == "netstandard" || name.StartsWith("System.", StringComparison.Ordinal)
                            || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || shipped.Contains(name),
                        assembly + " references " + name + ", which no compiler host provides.");

                    // The floor the docs promise (.NET 8 SDK, VS 17.8): built against Roslyn 4.8, not later.
                    if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                    {
                        Assert.True(reference.Version <= new Version(4, 8, 0, 0), assembly + " references " + name + " " + reference.Version + ", above the Roslyn 4.8 floor.");
                    }
                }
            }
        }

        private static List<string> Entries()
        {
            using var archive = ZipFile.OpenRead(PackedPackage.NupkgPath);
            return archive.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
        }

        private static byte[] ReadEntryBytes(string name)
        {
            using var archive = ZipFile.OpenRead(PackedPackage.NupkgPath);
            var entry = archive.Entries.Single(e => e.FullName.Replace('\\', '/') == name);
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        private static string ReadEntry(string name)
        {
            using var reader = new StreamReader(new MemoryStream(ReadEntryBytes(name)));
            return reader.ReadToEnd();
        }

        private static XElement NuspecMetadata()
        {
            using var archive = ZipFile.OpenRead(PackedPackage.NupkgPath);
            var nuspec = archive.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
            using var stream = nuspec.Open();
            var document = XDocument.Load(stream);
            return document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        }

        private static string Value(XElement metadata, string name) =>
            metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value
            ?? throw new Xunit.Sdk.XunitException("The nuspec has no <" + name + ">.");

        private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');

        private static Version Normalize(Version version) =>
            new Version(version.Major, version.Minor, Math.Max(version.Build, 0));
    }
}
