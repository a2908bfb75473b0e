using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>
    /// A compilation of named documents against .NET 8's reference assemblies (the ones the rule tests use), for
    /// tests that drive <see cref="CompilationWithAnalyzers"/> the way a host does: per document, with telemetry.
    /// </summary>
    public static class HostCompilation
    {
        public static async Task<CSharpCompilation> CreateAsync(params (string Path, string Source)[] documents)
        {
            ImmutableArray<MetadataReference> references = await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
            var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
            return CSharpCompilation.Create(
                "Host",
                documents.Select(d => CSharpSyntaxTree.ParseText(d.Source, parseOptions, d.Path)),
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        }

        public static CompilationWithAnalyzers WithAnalyzers(Compilation compilation, IEnumerable<DiagnosticAnalyzer> analyzers, AnalyzerOptions? options = null, List<string>? exceptions = null) =>
            compilation.WithAnalyzers(
                analyzers.ToImmutableArray(),
                new CompilationWithAnalyzersOptions(
                    options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    (exception, analyzer, _) => { if (exceptions != null) { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception); } } },
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: true,
                    reportSuppressedDiagnostics: false));

        public static SyntaxTree Tree(Compilation compilation, string path) =>
            compilation.SyntaxTrees.Single(t => t.FilePath == path);
    }
}
