using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Pending;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Rules
{
    /// <summary>
    /// OVL001 and OVL002: an overlapped operation started, then a synchronous failure (error != 997), then an
    /// exit without finishing what was started — or after finishing a different overlapped. OVL006: the start
    /// itself comes after a native call already had the OVERLAPPED. One path analysis answers all three.
    /// Registers a per-tree semantic-model action (live per-document IDE analysis) only when some tree names a start
    /// method; a tree is then gated by that set, each of its code blocks by its own text, before any binding.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SyncFailureAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the statement that finishes the receiver (the OVL001 fix inserts it).</summary>
        public const string FinishStatementProperty = "FinishStatement";

        /// <summary>Diagnostic property: how the path exits (<see cref="ExitKind"/>).</summary>
        public const string ExitKindProperty = "ExitKind";

        /// <summary>Diagnostic property, present when the overlapped type has no Complete() to call yet.</summary>
        public const string AddCompleteProperty = "AddComplete";

        /// <summary>Diagnostic property, with <see cref="AddCompleteProperty"/>: the in-progress flag the added Complete() clears.</summary>
        public const string CompleteFlagProperty = "CompleteFlag";

        /// <summary>Diagnostic property, present when no code fix is offered: why (shown in SARIF logs as a custom property).</summary>
        public const string NoFixReasonProperty = "NoFixReason";

        /// <summary>Diagnostic property: the code-fix title, e.g. "Complete 'm_inOverlapped' before throwing".</summary>
        public const string FixTitleProperty = "FixTitle";

        /// <summary>Diagnostic property: the receiver that was started (the OVL002 fix finishes it instead).</summary>
        public const string StartedReceiverProperty = "StartedReceiver";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OVL001, Descriptors.OVL002, Descriptors.OVL006);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var facts = CompilationFacts.TryCreate(start.Compilation, start.Options, start.CancellationToken);
                if (facts is null)
                {
                    return;
                }

                // Per tree, not per code block: a code-block action makes the driver build a context for every member of
                // every type (about 2.7 KB per method in the benchmark), though only the gated trees can report.
                start.RegisterSemanticModelAction(model => AnalyzeTree(model, facts));
            });
        }

        private static void AnalyzeTree(SemanticModelAnalysisContext context, CompilationFacts facts)
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
                // The editor asks for the member being typed in: blocks outside its span are not analyzed.
                if (context.FilterSpan is { } span && !span.IntersectsWith(codeBlock.FullSpan))
                {
                    continue;
                }

                if (TextGate.ContainsAnyIdentifier(text, codeBlock.Span, pairs.StartNames))
                {
                    AnalyzeCodeBlock(context, model, codeBlock, pairs, facts);
                }
            }
        }

        private static void AnalyzeCodeBlock(SemanticModelAnalysisContext context, SemanticModel model, SyntaxNode codeBlock, OperationPairs pairs, CompilationFacts facts)
        {
            foreach (var graph in GraphSource.ForCodeBlock(model, codeBlock, context.CancellationToken))
            {
                var effects = GraphEffects.Create(graph, pairs, facts.Symbols, facts.Summaries, context.CancellationToken);
                if (effects is null)
                {
                    continue;
                }

                foreach (var finding in PendingAnalysis.Analyze(graph, effects, context.CancellationToken, WorkMeter.Of(context.Options)))
                {
                    context.ReportDiagnostic(finding.Kind switch
                    {
                        FindingKind.WrongOverlapped => WrongOverlapped(finding, effects),
                        FindingKind.StartedAfterIoCall => StartedAfterIoCall(finding),
                        _ => NotCompleted(finding, context.CancellationToken),
                    });
                }
            }
        }

        private static Diagnostic NotCompleted(PendingFinding finding, System.Threading.CancellationToken cancellationToken)
        {
            var receiver = finding.Receiver;
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[FinishStatementProperty] = FinishText.FinishStatement(receiver);
            properties[ExitKindProperty] = finding.ExitKind.ToString();
            properties[FixTitleProperty] = FinishText.FixTitle(receiver, finding.ExitKind);
            if (receiver.Kind == PairKind.StartOperationConvention && !OperationPairs.HasCompleteMethod(receiver.Type))
            {
                properties[AddCompleteProperty] = "true";
                var flag = InProgressFlag.Find(receiver.FirstSite.Call.TargetMethod, cancellationToken);
                properties[flag.Name != null ? CompleteFlagProperty : NoFixReasonProperty] = flag.Name ?? flag.NoFixReason;
            }

            return Diagnostic.Create(
                Descriptors.OVL001,
                finding.Node.GetLocation(),
                StartLocations(finding),
                properties.ToImmutable(),
                receiver.Key.DisplayName,
                FinishText.ExitWord(finding.ExitKind),
                FinishText.FinishDescription(receiver));
        }

        private static Diagnostic WrongOverlapped(PendingFinding finding, GraphEffects effects)
        {
            var receiver = finding.Receiver;
            var wrongFinish = (IInvocationOperation)finding.WrongFinish!;
            var wrongOperand = receiver.Kind is PairKind.StartOperationConvention or PairKind.Configured ? wrongFinish.Instance : wrongFinish.Arguments.FirstOrDefault()?.Value;
            var wrongName = effects.Resolver.Resolve(wrongOperand)?.DisplayName ?? wrongOperand?.Syntax.ToString() ?? "?";
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(StartedReceiverProperty, FinishText.ReceiverSyntax(receiver.FirstSite))
                .Add(FixTitleProperty, "Finish '" + receiver.Key.DisplayName + "' instead of '" + wrongName + "'");
            return Diagnostic.Create(
                Descriptors.OVL002,
                finding.Node.GetLocation(),
                StartLocations(finding),
                properties,
                wrongName,
                receiver.Key.DisplayName);
        }

        /// <summary>OVL006 at the late start; the additional location is the native call that already had the OVERLAPPED.</summary>
        private static Diagnostic StartedAfterIoCall(PendingFinding finding)
        {
            var nativeCall = finding.Starts.FirstOrDefault();
            var callName = nativeCall?.Syntax is InvocationExpressionSyntax call
                ? (call.Expression is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText : call.Expression.ToString())
                : "the native call";
            return Diagnostic.Create(
                Descriptors.OVL006,
                finding.Node.GetLocation(),
                StartLocations(finding),
                ImmutableDictionary<string, string?>.Empty.Add(FixTitleProperty, "Start '" + finding.Receiver.Key.DisplayName + "' before calling '" + callName + "'"),
                finding.Receiver.Key.DisplayName,
                callName);
        }

        private static IEnumerable<Location> StartLocations(PendingFinding finding) =>
            finding.Starts.IsEmpty ? Enumerable.Empty<Location>() : new[] { finding.Starts[0].Syntax.GetLocation() };
    }
}
