using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.UseAfterFree;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Rules
{
    /// <summary>
    /// OVL008: an overlapped, handle or native block used after it was freed — dereferenced, read through a framework
    /// call, lent to native code or a callback, or freed again. Per tree (live per-document analysis), only trees that
    /// name a release call, and in them only code blocks whose own text does; lambdas and local functions (completion
    /// callbacks) are analysed on their own graphs.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UseAfterFreeAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OVL008);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // The fast path: no tree names a release call, so nothing can be used after one; register nothing.
                var trees = TreeGate.Create(start.Compilation, ReleaseCalls.GateNames, start.CancellationToken);
                if (trees.IsEmpty)
                {
                    return;
                }

                var symbols = KnownSymbols.Create(start.Compilation);
                var releases = new ReleaseCalls(symbols, new NativeAllocations(symbols, start.Compilation));
                start.RegisterSemanticModelAction(model => AnalyzeTree(model, trees, releases));
            });
        }

        private static void AnalyzeTree(SemanticModelAnalysisContext context, TreeGate trees, ReleaseCalls releases)
        {
            var model = context.SemanticModel;
            var tree = model.SyntaxTree;
            if (!trees.Contains(tree))
            {
                return;
            }

            var text = tree.GetText(context.CancellationToken);
            foreach (var codeBlock in CodeBlocks.In(tree.GetRoot(context.CancellationToken)))
            {
                if ((context.FilterSpan is { } span && !span.IntersectsWith(codeBlock.FullSpan))
                    || !TextGate.ContainsAnyIdentifier(text, codeBlock.Span, ReleaseCalls.GateNames))
                {
                    continue;
                }

                foreach (var graph in GraphSource.ForCodeBlock(model, codeBlock, context.CancellationToken))
                {
                    foreach (var finding in UseAfterFreeAnalysis.Analyze(graph, releases, context.CancellationToken, WorkMeter.Of(context.Options)))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.OVL008,
                            finding.Use.Operation.Syntax.GetLocation(),
                            new[] { finding.Free.Syntax.GetLocation() },
                            finding.Key.DisplayName,
                            FreeName(finding.Free),
                            UseDescription(finding.Use)));
                    }
                }
            }
        }

        private static string FreeName(IOperation free) =>
            free is IInvocationOperation call ? call.TargetMethod.Name : free.Syntax.ToString();

        private static string UseDescription(FreedUse use) => use.Kind switch
        {
            FreedUseKind.Dereference => "dereferenced here",
            FreedUseKind.Read => "read here through '" + use.Callee + "'",
            FreedUseKind.LentToNative => "passed to '" + use.Callee + "' here",
            _ => "freed again here",
        };
    }
}
