using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// Stand-ins for the three ways an OVL analyzer can register its per-method work. Each does the same job when it gets
    /// past its gate (control-flow graph of the method, find StartOperation calls) and reports nothing, so the benchmark
    /// prices the registration shape itself, with or without the real rules in the build. Measuring fixtures, never
    /// shipped: the analyzer-authoring rules do not apply.
    /// </summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008, RS1012, RS1026
    internal static class ShapeProbe
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            "BENCH001", "Probe", "Probe", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        /// <summary>Identifiers without which a method cannot start or allocate anything the rules track.</summary>
        private static readonly HashSet<string> GateNames = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "StartOperation", "AllocateNativeOverlapped", "UnsafeAllocateNativeOverlapped", "Pack", "UnsafePack",
            "Alloc", "AllocHGlobal", "AllocCoTaskMem", "AlignedAlloc", "AllocZeroed",
        };

        public static bool PassesGate(SyntaxNode node)
        {
            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && GateNames.Contains(token.ValueText))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The stand-in for the path engine: walk every block of the graph.</summary>
        public static int CountStarts(ControlFlowGraph graph)
        {
            int starts = 0;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var descendant in operation.DescendantsAndSelf())
                    {
                        if (descendant is IInvocationOperation invocation && invocation.TargetMethod.Name == "StartOperation")
                        {
                            starts++;
                        }
                    }
                }
            }

            return starts;
        }
    }

    /// <summary>No gate: an operation-block action that builds the CFG of every method in the compilation.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class NaiveCfgProbe : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ShapeProbe.Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(block =>
            {
                foreach (var operation in block.OperationBlocks)
                {
                    if (operation.Parent is null && operation.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block)
                    {
                        ShapeProbe.CountStarts(block.GetControlFlowGraph(operation));
                    }
                }
            });
        }
    }

    /// <summary>
    /// The syntax gate inside an operation-block-start action: CFGs only for methods that mention a tracked name, but the
    /// driver still builds the IOperation tree of every method body to call the action.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class OperationGateProbe : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ShapeProbe.Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshal") is null)
                {
                    return;
                }

                start.RegisterOperationBlockAction(block =>
                {
                    foreach (var operation in block.OperationBlocks)
                    {
                        if (operation.Parent is null && ShapeProbe.PassesGate(operation.Syntax) && operation.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block)
                        {
                            ShapeProbe.CountStarts(block.GetControlFlowGraph(operation));
                        }
                    }
                });
            });
        }
    }

    /// <summary>
    /// The syntax gate before any binding: a syntax-node action per method declaration scans tokens, and only a method that
    /// mentions a tracked name is bound (GetOperation) and gets a CFG.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class SyntaxGateProbe : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ShapeProbe.Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshal") is null)
                {
                    return;
                }

                start.RegisterSyntaxNodeAction(
                    node =>
                    {
                        var declaration = (BaseMethodDeclarationSyntax)node.Node;
                        SyntaxNode? body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
                        if (body is null || !ShapeProbe.PassesGate(body))
                        {
                            return;
                        }

                        var graph = ControlFlowGraph.Create(declaration, node.SemanticModel, node.CancellationToken);
                        if (graph != null)
                        {
                            ShapeProbe.CountStarts(graph);
                        }
                    },
                    SyntaxKind.MethodDeclaration,
                    SyntaxKind.ConstructorDeclaration);
            });
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008, RS1012, RS1026
}
