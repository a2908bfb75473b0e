using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// Loads analyzer assemblies the way the compiler server does, in spirit: one load context per directory, so a package's
    /// own dependencies load beside it while Roslyn and the framework come from the host (type identity of
    /// <see cref="DiagnosticAnalyzer"/> must be the host's). A plain Assembly.LoadFrom into the default context would refuse
    /// a second build of OverlappedAnalyzers.dll (the one passed with --ovl-assembly) next to the referenced one.
    /// </summary>
    internal sealed class DirectoryAnalyzerLoader : IAnalyzerAssemblyLoader
    {
        private readonly ConcurrentDictionary<string, DirectoryLoadContext> _contexts = new ConcurrentDictionary<string, DirectoryLoadContext>(StringComparer.Ordinal);

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(fullPath))!;
            var context = _contexts.GetOrAdd(directory, d => new DirectoryLoadContext(d));
            return context.LoadFile(fullPath);
        }

        private sealed class DirectoryLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;
            private readonly ConcurrentDictionary<string, Assembly> _loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

            public DirectoryLoadContext(string directory)
                : base("analyzers:" + directory, isCollectible: false)
            {
                _directory = directory;
            }

            public Assembly LoadFile(string fullPath) =>
                _loaded.GetOrAdd(Path.GetFileNameWithoutExtension(fullPath), _ => LoadFromAssemblyPath(Path.GetFullPath(fullPath)));

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                string name = assemblyName.Name ?? string.Empty;

                // Shared with the host: the compiler API and the framework.
                if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && !name.Contains("NetAnalyzers", StringComparison.Ordinal)
                    || name.StartsWith("System.", StringComparison.Ordinal)
                    || name == "netstandard" || name == "mscorlib")
                {
                    return null;
                }

                string candidate = Path.Combine(_directory, name + ".dll");
                return File.Exists(candidate) ? LoadFile(candidate) : null;
            }
        }
    }

    /// <summary>A named set of analyzers plus the diagnostic options that switch their rules on or off.</summary>
    internal sealed class AnalyzerSet
    {
        public AnalyzerSet(string name, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableDictionary<string, ReportDiagnostic> options, string source)
        {
            Name = name;
            Analyzers = analyzers;
            DiagnosticOptions = options;
            Source = source;
        }

        public string Name { get; }
        public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }
        public ImmutableDictionary<string, ReportDiagnostic> DiagnosticOptions { get; }
        public string Source { get; }

        public IEnumerable<string> SupportedIds(DiagnosticAnalyzer analyzer) => analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct();

        public override string ToString() => $"{Name}: {Analyzers.Length} analyzer(s) from {Source}";
    }

    internal static class AnalyzerSets
    {
        private static readonly DirectoryAnalyzerLoader Loader = new DirectoryAnalyzerLoader();

        public static string MetadataValue(string key) =>
            typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException("missing assembly metadata " + key);

        /// <summary>Every analyzer in the given files (C#), load failures printed and counted as fatal.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> Load(IEnumerable<string> paths)
        {
            var builder = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            var failures = new List<string>();
            foreach (string path in paths)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException("analyzer assembly not found", path);
                }

                var reference = new AnalyzerFileReference(path, Loader);
                reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{Path.GetFileName(path)}: {e.ErrorCode} {e.TypeName} {e.Message}");
                builder.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            }

            if (failures.Count > 0)
            {
                foreach (string failure in failures)
                {
                    Console.Error.WriteLine("AnalyzerLoadFailed: " + failure);
                }

                throw new InvalidOperationException($"{failures.Count} analyzer load failure(s)");
            }

            return builder.ToImmutable();
        }

        /// <summary>
        /// Our analyzers: every DiagnosticAnalyzer type of the assembly, found by reflection (through AnalyzerFileReference),
        /// so the harness measures whatever rules the build holds. Empty when the assembly has none yet.
        /// </summary>
        public static AnalyzerSet Ours(string? overridePath)
        {
            string path = overridePath ?? Path.Combine(AppContext.BaseDirectory, "OverlappedAnalyzers.dll");
            var analyzers = Load(new[] { path });
            return new AnalyzerSet("OVL", analyzers, ImmutableDictionary<string, ReportDiagnostic>.Empty, path);
        }

        /// <summary>NetAnalyzers, reduced to the analyzers that own CA2000 or CA2213, with only those two rules on.</summary>
        public static AnalyzerSet NetAnalyzers()
        {
            string root = MetadataValue("NetAnalyzersPackagePath");
            string dir = Path.Combine(root, "analyzers", "dotnet", "cs");
            var all = Load(new[]
            {
                Path.Combine(dir, "Microsoft.CodeAnalysis.NetAnalyzers.dll"),
                Path.Combine(dir, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"),
            });
            string[] wanted = { "CA2000", "CA2213" };
            var chosen = all.Where(a => a.SupportedDiagnostics.Any(d => wanted.Contains(d.Id))).ToImmutableArray();
            var options = ImmutableDictionary.CreateBuilder<string, ReportDiagnostic>();
            foreach (var id in chosen.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct())
            {
                options[id] = wanted.Contains(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress;
            }

            if (chosen.Length == 0)
            {
                throw new InvalidOperationException("no CA2000/CA2213 analyzer found in " + dir);
            }

            return new AnalyzerSet("CA2000+CA2213", chosen, options.ToImmutable(), $"Microsoft.CodeAnalysis.NetAnalyzers {MetadataValue("NetAnalyzersVersion")} ({all.Length} analyzers, {chosen.Length} kept)");
        }

        /// <summary>IDisposableAnalyzers with its default severities.</summary>
        public static AnalyzerSet IDisposable()
        {
            string root = MetadataValue("IDisposableAnalyzersPackagePath");
            var analyzers = Load(new[] { Path.Combine(root, "analyzers", "dotnet", "cs", "IDisposableAnalyzers.dll") });
            return new AnalyzerSet("IDisposableAnalyzers", analyzers, ImmutableDictionary<string, ReportDiagnostic>.Empty, "IDisposableAnalyzers " + MetadataValue("IDisposableAnalyzersVersion"));
        }

        /// <summary>One of the registration-shape probes (see ShapeProbes.cs).</summary>
        public static AnalyzerSet Probe(string name, DiagnosticAnalyzer probe) =>
            new AnalyzerSet(name, ImmutableArray.Create(probe), ImmutableDictionary<string, ReportDiagnostic>.Empty, "benchmark");

        /// <summary>
        /// The floor subtracted from every analyzer's analysis phase: a no-op symbol action. Any analyzer with symbol, syntax or
        /// operation actions makes the driver raise the compilation's events, which means binding every method body of the
        /// driver's compilation. A command-line build gets those events from its own compile for free, and the SDK's default
        /// analyzers always need them, so this cost is never ours to pay.
        /// </summary>
        public static AnalyzerSet Driver() =>
            new AnalyzerSet("driver floor (no-op symbol action)", ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer(withEvents: true)), ImmutableDictionary<string, ReportDiagnostic>.Empty, "benchmark");

        /// <summary>An analyzer whose compilation-start action registers nothing: the shape of our fast path with nothing behind it.</summary>
        public static AnalyzerSet EmptyDriver() =>
            new AnalyzerSet("driver, empty (registers nothing)", ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer(withEvents: false)), ImmutableDictionary<string, ReportDiagnostic>.Empty, "benchmark");
    }

    /// <summary>Does nothing, with (a no-op symbol action) or without (an empty compilation-start action) compilation events.</summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008, RS1012
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            "BENCH000", "No-op", "No-op", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        private readonly bool _withEvents;

        public NoOpAnalyzer(bool withEvents)
        {
            _withEvents = withEvents;
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (_withEvents)
                {
                    start.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
                }
            });
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008, RS1012
}
