using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>How an analyzer registers its per-member or per-type work.</summary>
    internal enum RegistrationShape
    {
        /// <summary><c>RegisterCodeBlockAction</c> at compilation level: a callback per member of every type.</summary>
        CodeBlock,

        /// <summary><c>RegisterSymbolStartAction(NamedType)</c> that registers nothing: a callback per type.</summary>
        SymbolStart,

        /// <summary><c>RegisterSemanticModelAction</c>: a callback per syntax tree.</summary>
        SemanticModel,
    }

    /// <summary>
    /// A callback that returns at once, registered in one of the shapes an OVL rule could use: prices what the driver does
    /// for the registration itself, which a rule's own gate can never save. Measuring fixture, never shipped.
    /// </summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008, RS1012
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class RegistrationShapeProbe : DiagnosticAnalyzer
    {
        private readonly RegistrationShape shape;

        public RegistrationShapeProbe(RegistrationShape shape)
        {
            this.shape = shape;
        }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ShapeProbe.Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            switch (shape)
            {
                case RegistrationShape.CodeBlock:
                    context.RegisterCodeBlockAction(_ => { });
                    break;
                case RegistrationShape.SymbolStart:
                    context.RegisterSymbolStartAction(_ => { }, SymbolKind.NamedType);
                    break;
                case RegistrationShape.SemanticModel:
                    context.RegisterSemanticModelAction(_ => { });
                    break;
            }
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008, RS1012
}
