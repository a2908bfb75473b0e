using System;
using System.IO;
using System.Linq;

namespace OverlappedAnalyzers.Package.Tests.Infrastructure
{
    /// <summary>
    /// The OverlappedAnalyzers .nupkg under test, packed once per test run into a private local feed.
    /// Set OVERLAPPED_ANALYZERS_PACKAGE_DIR to a folder holding an already packed package to test that one instead
    /// (for example the artifact a CI job produced); set OVERLAPPED_ANALYZERS_KEEP_TEMP=1 to keep the temp folder.
    /// </summary>
    internal static class PackedPackage
    {
        public const string Id = "OverlappedAnalyzers";

        private static readonly Lazy<string> LazyTempRoot = new Lazy<string>(CreateTempRoot);
        private static readonly Lazy<string> LazyNupkg = new Lazy<string>(PackOrFind);

        /// <summary>
        /// A folder outside the repository, so nothing created there inherits the repository's
        /// Directory.Build.props, Directory.Packages.props or .editorconfig.
        /// </summary>
        public static string TempRoot => LazyTempRoot.Value;

        public static string Version => RepositoryFiles.PackageVersion;

        /// <summary>The local folder feed holding exactly one package: ours.</summary>
        public static string FeedDirectory => Path.Combine(TempRoot, "feed");

        /// <summary>Full path of the .nupkg; packs on first use.</summary>
        public static string NupkgPath => LazyNupkg.Value;

        public static bool KeepTemp => Environment.GetEnvironmentVariable("OVERLAPPED_ANALYZERS_KEEP_TEMP") == "1";

        public static void TryDelete(string directory)
        {
            if (KeepTemp)
            {
                return;
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string CreateTempRoot()
        {
            var parent = Path.Combine(Path.GetTempPath(), "OverlappedAnalyzers.PackageTests");

            // The test host may be stopped before ProcessExit finishes deleting; sweep what old runs left behind.
            if (Directory.Exists(parent))
            {
                foreach (var stale in new DirectoryInfo(parent).GetDirectories().Where(d => d.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-6)))
                {
                    TryDelete(stale.FullName);
                }
            }

            var root = Path.Combine(parent, Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
            return root;
        }

        private static string PackOrFind()
        {
            Directory.CreateDirectory(FeedDirectory);
            var fileName = Id + "." + Version + ".nupkg";
            var target = Path.Combine(FeedDirectory, fileName);

            var prepacked = Environment.GetEnvironmentVariable("OVERLAPPED_ANALYZERS_PACKAGE_DIR");
            if (!string.IsNullOrEmpty(prepacked))
            {
                var source = Path.Combine(prepacked, fileName);
                if (!File.Exists(source))
                {
                    throw new FileNotFoundException("OVERLAPPED_ANALYZERS_PACKAGE_DIR is set but holds no " + fileName, source);
                }

                File.Copy(source, target, overwrite: true);
                return target;
            }

            var result = DotNet.Run(
                RepositoryFiles.Root,
                new[] { "pack", RepositoryFiles.PathOf("nuget/OverlappedAnalyzers.Package.csproj"), "-c", "Release", "-o", FeedDirectory }
                    .Concat(DotNet.QuietBuildFlags)
                    .ToArray());
            if (result.ExitCode != 0 || !File.Exists(target))
            {
                throw new InvalidOperationException("Packing failed or wrote no " + fileName + Environment.NewLine + result);
            }

            var others = Directory.GetFiles(FeedDirectory).Where(f => !f.Equals(target, StringComparison.Ordinal)).ToList();
            if (others.Count > 0)
            {
                throw new InvalidOperationException("Packing wrote more than the one package: " + string.Join(", ", others));
            }

            return target;
        }

    }
}
