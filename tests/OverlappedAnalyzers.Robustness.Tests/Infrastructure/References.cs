using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// Compilation settings shared by every run: the running runtime's framework assemblies, loaded once
    /// (metadata is the expensive part of a compilation; sharing it makes thousands of mutants affordable).
    /// </summary>
    internal static class References
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new Lazy<ImmutableArray<MetadataReference>>(Load);

        /// <summary>C# 12 with Roslyn 4.8: the newest the analyzers' floor can parse.</summary>
        public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None);

        public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false);

        public static ImmutableArray<MetadataReference> All => Framework.Value;

        /// <summary>Top-level statements need an executable; everything else is a library (no Main required).</summary>
        public static CSharpCompilationOptions CompilationOptionsFor(IEnumerable<SyntaxTree> trees) =>
            trees.Any(t => t.GetRoot() is CompilationUnitSyntax unit && unit.Members.Any(m => m is GlobalStatementSyntax))
                ? CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication)
                : CompilationOptions;

        private static ImmutableArray<MetadataReference> Load()
        {
            // Only the framework's own assemblies (System.Private.CoreLib's folder), not the test's dependencies.
            var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .OrderBy(p => p, StringComparer.Ordinal);
            return trusted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        }
    }
}
