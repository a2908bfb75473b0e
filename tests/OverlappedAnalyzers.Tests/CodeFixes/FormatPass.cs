using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace OverlappedAnalyzers.Tests.CodeFixes
{
    /// <summary>
    /// One <c>dotnet format analyzers</c> run, done the way the tool does it: the reported rule IDs are taken from one
    /// analysis; then, rule by rule, the solution is analysed again and the rule's provider gets one Fix All in
    /// solution scope (equivalence key of the first action offered for the first diagnostic). The tool takes the IDs
    /// in hash order, so a caller runs it in more than one order. Every analyzer and every code-fix provider of the
    /// shipped assemblies takes part, found by reflection, so a rule added later is held to the same property.
    /// </summary>
    internal static class FormatPass
    {
        public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(Rules.SyncFailureAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        public static readonly ImmutableArray<CodeFixProvider> Fixers = typeof(OverlappedAnalyzers.CodeFixes.CompleteBeforeExitCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new Lazy<ImmutableArray<MetadataReference>>(() =>
        {
            var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            return Directory.GetFiles(directory, "*.dll")
                .Where(IsManagedAssembly)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
        });

        /// <summary>A solution of one project holding <paramref name="sources"/> (paths under /src so a /.editorconfig applies).</summary>
        public static Solution CreateSolution(IEnumerable<(string Name, string Source)> sources, string? editorConfig, IEnumerable<MetadataReference>? extraReferences = null)
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "Corpus",
                "Corpus",
                LanguageNames.CSharp,
                filePath: "/src/Corpus.csproj",
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true),
                parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
                metadataReferences: Framework.Value.Concat(extraReferences ?? Enumerable.Empty<MetadataReference>())));
            foreach (var (name, source) in sources)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), name, SourceText.From(source), filePath: "/src/" + name);
            }

            // Top-level statements need an executable; everything else is a library (no Main required).
            if (solution.GetProject(projectId)!.Documents.Any(d => d.GetSyntaxRootAsync().Result is CompilationUnitSyntax { Members: var members } && members.Any(m => m is GlobalStatementSyntax)))
            {
                solution = solution.WithProjectCompilationOptions(projectId, solution.GetProject(projectId)!.CompilationOptions!.WithOutputKind(OutputKind.ConsoleApplication));
            }

            if (editorConfig != null)
            {
                solution = solution.AddAnalyzerConfigDocument(
                    DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From("root = true\n\n[*]\n" + editorConfig + "\n"), filePath: "/.editorconfig");
            }

            return solution;
        }

        public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Solution solution) => AnalyzeAsync(solution, Analyzers);

        public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
        {
            var all = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var project in solution.Projects)
            {
                var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
                var diagnostics = await compilation.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                all.AddRange(diagnostics.Where(d => d.Location.IsInSource && d.Severity >= DiagnosticSeverity.Warning));
            }

            return all.OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        }

        public static async Task<ImmutableArray<Diagnostic>> CompilerErrorsAsync(Solution solution)
        {
            var errors = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var project in solution.Projects)
            {
                var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
                errors.AddRange(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            }

            return errors.ToImmutable();
        }

        /// <summary>The code actions the providers offer for <paramref name="diagnostic"/> (none: no fix, by design or not).</summary>
        public static async Task<ImmutableArray<CodeAction>> ActionsForAsync(Solution solution, Diagnostic diagnostic)
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree);
            var actions = ImmutableArray.CreateBuilder<CodeAction>();
            if (document is null)
            {
                return actions.ToImmutable();
            }

            foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).ConfigureAwait(false);
            }

            return actions.ToImmutable();
        }

        /// <summary>Applies one run and returns the solution it leaves.</summary>
        public static async Task<Solution> RunAsync(Solution solution, Func<IEnumerable<string>, IEnumerable<string>> idOrder)
        {
            var reported = (await AnalyzeAsync(solution).ConfigureAwait(false)).Select(d => d.Id).Distinct().ToList();
            foreach (var id in idOrder(reported))
            {
                // Like the tool: the analyzers that support the rule run again, and everything they report (other rules of
                // the same analyzer included) is the result the fixer is handed.
                var supporting = Analyzers.Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToImmutableArray();
                var current = await AnalyzeAsync(solution, supporting).ConfigureAwait(false);
                if (!current.Any(d => d.Id == id))
                {
                    continue;
                }

                foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(id)))
                {
                    solution = await FixAllInSolutionAsync(solution, fixer, id, current).ConfigureAwait(false);
                }
            }

            return solution;
        }

        private static async Task<Solution> FixAllInSolutionAsync(Solution solution, CodeFixProvider fixer, string id, ImmutableArray<Diagnostic> diagnostics)
        {
            var fixAll = fixer.GetFixAllProvider();
            if (fixAll is null || !fixAll.GetSupportedFixAllScopes().Contains(FixAllScope.Solution))
            {
                throw new InvalidOperationException(fixer.GetType().Name + " has no Fix All in solution scope: dotnet format cannot apply it.");
            }

            // The tool asks the provider for the first diagnostic of the result, whatever its rule: a provider then offers
            // no action and Fix All gets no equivalence key. Take another rule's diagnostic when there is one, so a Fix All
            // that only works with the key fails here.
            var first = diagnostics.FirstOrDefault(d => d.Id != id) ?? diagnostics[0];
            var document = solution.GetDocument(first.Location.SourceTree)!;
            CodeAction? firstAction = null;
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => firstAction ??= action, CancellationToken.None)).ConfigureAwait(false);
            var context = new FixAllContext(document, fixer, FixAllScope.Solution, firstAction?.EquivalenceKey!, new[] { id }, new FixedDiagnostics(diagnostics), CancellationToken.None);
            var action = await fixAll.GetFixAsync(context).ConfigureAwait(false);
            if (action is null)
            {
                return solution;
            }

            var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
            return operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution ?? solution;
        }

        private static bool IsManagedAssembly(string path)
        {
            try
            {
                AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>The diagnostics of the analysis just made, by document path, as dotnet format's provider hands them out.</summary>
        private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly ImmutableArray<Diagnostic> _diagnostics;

            public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics)
            {
                _diagnostics = diagnostics;
            }

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath).ToImmutableArray());

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
        }
    }
}
