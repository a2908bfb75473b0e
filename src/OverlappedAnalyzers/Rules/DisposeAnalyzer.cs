using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Dispose;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Rules
{
    /// <summary>
    /// OVL004: an overlapped whose Dispose defers the free while an operation is pending but nothing frees it when
    /// the completion arrives, and an owner whose Dispose forgets an overlapped field. Per type: symbol start →
    /// operation blocks → symbol end, so it runs in live per-document analysis (no compilation-end action).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DisposeAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the overlapped field Dispose forgets (the code fix disposes it).</summary>
        public const string FieldProperty = "Field";

        /// <summary>Diagnostic property, "true" when the field may be null at Dispose time (the fix uses <c>?.</c>).</summary>
        public const string ConditionalProperty = "Conditional";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OVL004);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (!DisposeShapes.MayContainOverlapped(start.Compilation))
                {
                    return;
                }

                start.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        var analysis = DisposeTypeAnalysis.TryCreate((INamedTypeSymbol)symbolStart.Symbol, symbolStart.CancellationToken);
                        if (analysis is null)
                        {
                            return;
                        }

                        symbolStart.RegisterOperationBlockAction(block => analysis.Add(block.OwningSymbol, block.OperationBlocks));
                        symbolStart.RegisterSymbolEndAction(end =>
                        {
                            foreach (var finding in analysis.Evaluate())
                            {
                                end.ReportDiagnostic(Create(finding));
                            }
                        });
                    },
                    SymbolKind.NamedType);
            });
        }

        private static Diagnostic Create(DisposeFinding finding)
        {
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (finding.UndisposedField is { } field)
            {
                properties = properties
                    .Add(FieldProperty, field.Name)
                    .Add(ConditionalProperty, MayBeNull(field) ? "true" : "false");
            }

            return Diagnostic.Create(Descriptors.OVL004, finding.Location, properties, finding.Subject, finding.Reason);
        }

        /// <summary>A readonly, non-nullable reference (or any struct) is there at Dispose time; anything else may not be.</summary>
        private static bool MayBeNull(IFieldSymbol field) =>
            field.Type.IsReferenceType && (!field.IsReadOnly || field.NullableAnnotation == NullableAnnotation.Annotated);
    }
}
