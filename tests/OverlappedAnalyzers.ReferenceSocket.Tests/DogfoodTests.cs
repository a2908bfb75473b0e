using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    /// <summary>
    /// The reference socket is the analyzers' valid code: every analyzer in the OverlappedAnalyzers
    /// assembly must stay silent on it (and must not throw). The leaky sample is the opposite.
    /// </summary>
    public sealed class DogfoodTests
    {
        private readonly ITestOutputHelper m_output;

        public DogfoodTests(ITestOutputHelper output)
        {
            m_output = output;
        }

        [Fact]
        public void Every_analyzer_is_silent_on_the_reference_socket()
        {
            Compilation compilation = Compile("ReferenceSources", "OverlappedAnalyzers.ReferenceSocket");
            ImmutableArray<DiagnosticAnalyzer> analyzers = LoadAnalyzers();

            // Silence only proves something if every rule actually ran.
            Assert.Equal(
                new[] { "OVL001", "OVL002", "OVL003", "OVL004", "OVL005", "OVL006", "OVL007", "OVL008" },
                analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
            m_output.WriteLine(analyzers.Length + " analyzer(s): " + string.Join(", ", analyzers.Select(a => a.GetType().Name)));
            (ImmutableArray<Diagnostic> diagnostics, List<string> exceptions) = Analyze(compilation, analyzers);

            Assert.Empty(exceptions);
            Assert.Empty(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
            Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("OVL", StringComparison.Ordinal)).Select(d => d.ToString()));
        }

        [Fact]
        public void The_leaky_sample_gets_exactly_the_bugs_it_documents()
        {
            Compilation compilation = Compile("LeakySources", "LeakySocket", typeof(IocpSocket).Assembly.Location);

            (ImmutableArray<Diagnostic> diagnostics, List<string> exceptions) = Analyze(compilation, LoadAnalyzers());
            foreach (Diagnostic diagnostic in diagnostics)
            {
                m_output.WriteLine(diagnostic.ToString());
            }

            // One line per bug the sample's comments and README describe: rule, file, enclosing member.
            Assert.Empty(exceptions);
            Assert.Equal(
                new[]
                {
                    "OVL001 LeakySocket.cs Accept",
                    "OVL001 LeakySocket.cs Connect",
                    "OVL001 LeakySocket.cs Send",
                    "OVL002 LeakySocket.cs Receive",
                    "OVL003 LeakyBind.cs Bind",
                    "OVL003 LeakyRepinningBuffer.cs Switch",
                    "OVL004 LeakyAcceptor.cs Dispose",
                    "OVL005 LeakyAcceptAddresses.cs Addresses",
                    "OVL006 LeakySocket.cs ReceiveWithLateStart",
                    "OVL007 LeakyPendingReceive.cs Receive",
                    "OVL008 LeakyCompletionCallback.cs OnReceived",
                },
                diagnostics.Select(Describe).OrderBy(line => line, StringComparer.Ordinal));
        }

        private static string Describe(Diagnostic diagnostic)
        {
            SyntaxTree tree = diagnostic.Location.SourceTree!;
            SyntaxNode member = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf()
                .First(node => node is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax);
            string name = member switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method => method.Identifier.Text,
                Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Identifier.Text,
                _ => member.Kind().ToString(),
            };
            return diagnostic.Id + " " + Path.GetFileName(tree.FilePath) + " " + name;
        }

        private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers()
        {
            Assembly assembly = Assembly.Load("OverlappedAnalyzers");
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException exception)
            {
                types = exception.Types.Where(t => t != null).ToArray()!;
            }

            return types
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToImmutableArray();
        }

        private static (ImmutableArray<Diagnostic> Diagnostics, List<string> Exceptions) Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var exceptions = new List<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception); } },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false,
                analyzerExceptionFilter: null);
            ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(analyzers, options)
                .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            return (diagnostics, exceptions);
        }

        private static Compilation Compile(string folder, string assemblyName, params string[] extraReferences)
        {
            string root = Path.Combine(AppContext.BaseDirectory, folder);
            var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12, preprocessorSymbols: new[] { "NET", "NET10_0", "NET10_0_OR_GREATER", "NET8_0_OR_GREATER", "NETCOREAPP" });
            SyntaxTree[] trees = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
                .ToArray();
            Assert.NotEmpty(trees);

            // The running runtime's own trusted platform assemblies (the shared framework), not the test's packages.
            string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
                .Split(Path.PathSeparator)
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
                .Concat(extraReferences)
                .Distinct(StringComparer.Ordinal)
                .Select(path => MetadataReference.CreateFromFile(path));

            CSharpCompilation compilation = CSharpCompilation.Create(
                assemblyName,
                trees,
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
            Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
            return compilation;
        }
    }
}
