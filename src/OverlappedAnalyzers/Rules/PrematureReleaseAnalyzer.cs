using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Release;

namespace OverlappedAnalyzers.Rules
{
    /// <summary>
    /// OVL007: an asynchronous I/O call returned its failure indication (FALSE, SOCKET_ERROR) — which for overlapped
    /// I/O normally means ERROR_IO_PENDING — and the code frees or finishes its OVERLAPPED or buffer, or throws, before
    /// asking whether the error is 997 (or frees after learning that it is, without waiting). Per tree (live
    /// per-document analysis), only trees and code blocks that name an I/O call or an asynchronous OVERLAPPED.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PrematureReleaseAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OVL007);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // The fast path: no tree names an overlapped I/O call or an asynchronous OVERLAPPED; register nothing.
                var facts = ReleaseFacts.TryCreate(start.Compilation, start.CancellationToken);
                if (facts != null)
                {
                    start.RegisterSemanticModelAction(model => AnalyzeTree(model, facts));
                }
            });
        }

        private static void AnalyzeTree(SemanticModelAnalysisContext context, ReleaseFacts facts)
        {
            var model = context.SemanticModel;
            var tree = model.SyntaxTree;
            if (!facts.Trees.Contains(tree))
            {
                return;
            }

            var pairs = facts.PairsFor(context.Options, tree);
            var text = tree.GetText(context.CancellationToken);
            foreach (var codeBlock in CodeBlocks.In(tree.GetRoot(context.CancellationToken)))
            {
                if ((context.FilterSpan is { } span && !span.IntersectsWith(codeBlock.FullSpan))
                    || !TextGate.ContainsAnyIdentifier(text, codeBlock.Span, IoCallNames.GateNames)
                    || !IoCallNames.MayBeCalledIn(codeBlock, model, context.CancellationToken))
                {
                    continue;
                }

                foreach (var graph in GraphSource.ForCodeBlock(model, codeBlock, context.CancellationToken))
                {
                    foreach (var finding in PrematureReleaseAnalysis.Analyze(graph, facts, pairs, context.CancellationToken, WorkMeter.Of(context.Options)))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.OVL007,
                            finding.Node.GetLocation(),
                            new[] { finding.Site.Call.Syntax.GetLocation() },
                            What(finding),
                            finding.Site.CallName,
                            finding.Site.OverlappedText));
                    }
                }
            }
        }

        private static string What(PrematureReleaseFinding finding) => finding.Kind switch
        {
            PrematureKind.OverlappedReleased => "'" + finding.Site.OverlappedText + "' is released by '" + finding.ReleaseName + "'",
            PrematureKind.BufferReleased => "the buffer '" + finding.ReleasedName + "' is freed by '" + finding.ReleaseName + "'",
            _ when finding.Node is ThrowStatementSyntax or ThrowExpressionSyntax => "this throw reports the operation as failed",
            _ => "this call throws and reports the operation as failed",
        };
    }
}
