using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace OverlappedAnalyzers.Package.Tests.Infrastructure
{
    /// <summary>Files of the repository under test, found by walking up from the test binaries to the solution.</summary>
    internal static class RepositoryFiles
    {
        private static readonly Lazy<string> LazyRoot = new Lazy<string>(FindRoot);

        public static string Root => LazyRoot.Value;

        /// <summary>The version the build stamped into this assembly from Directory.Build.props.</summary>
        public static string PackageVersion { get; } = typeof(RepositoryFiles).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "OverlappedAnalyzersVersion")
            .Value!;

        public static string PathOf(string relativePath) =>
            Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

        public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OverlappedAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("No folder above " + AppContext.BaseDirectory + " holds OverlappedAnalyzers.sln.");
        }
    }
}
