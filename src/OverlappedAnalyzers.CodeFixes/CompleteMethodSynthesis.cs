using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// Upstream AsyncIO's overlapped has StartOperation but no Complete(): its completion handler clears the
    /// in-progress flag itself. The OVL001 fix then adds a Complete() that clears the flag StartOperation sets,
    /// and only when that flag can be read off StartOperation's body — otherwise no fix is offered.
    /// </summary>
    internal sealed class CompleteMethodSynthesis
    {
        private CompleteMethodSynthesis(DocumentId documentId, TypeDeclarationSyntax declaration, MethodDeclarationSyntax startOperation, string flag, INamedTypeSymbol type)
        {
            DocumentId = documentId;
            Declaration = declaration;
            StartOperation = startOperation;
            Flag = flag;
            Type = type;
        }

        public DocumentId DocumentId { get; }
        public TypeDeclarationSyntax Declaration { get; }
        public MethodDeclarationSyntax StartOperation { get; }
        public string Flag { get; }
        public INamedTypeSymbol Type { get; }

        /// <summary>Finds the overlapped type behind the start call at <paramref name="startLocation"/> and the flag its StartOperation sets.</summary>
        public static async Task<CompleteMethodSynthesis?> FindAsync(Document document, Location startLocation, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || startLocation.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            var invocation = root.FindNode(startLocation.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol startMethod)
            {
                return null;
            }

            foreach (var reference in startMethod.DeclaringSyntaxReferences)
            {
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration
                    || declaration.Parent is not TypeDeclarationSyntax type)
                {
                    continue;
                }

                var flag = FlagSetToTrue(declaration);
                var typeDocument = document.Project.Solution.GetDocument(declaration.SyntaxTree);
                if (flag != null && typeDocument != null)
                {
                    return new CompleteMethodSynthesis(typeDocument.Id, type, declaration, flag, startMethod.ContainingType);
                }
            }

            return null;
        }

        /// <summary>Adds the Complete() method after StartOperation, unless the type already has one.</summary>
        public static TypeDeclarationSyntax AddTo(TypeDeclarationSyntax type, string flag, SyntaxTrivia endOfLine)
        {
            if (type.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "Complete" && m.ParameterList.Parameters.Count == 0))
            {
                return type;
            }

            var newLine = endOfLine.ToFullString();
            var complete = SyntaxFactory.ParseMemberDeclaration(
                    newLine + "public void Complete()" + newLine + "{" + newLine + flag + " = false;" + newLine + "}" + newLine)!
                .WithAdditionalAnnotations(Formatter.Annotation);
            var start = type.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.ValueText == "StartOperation");
            return start is null ? type.AddMembers(complete) : type.InsertNodesAfter(start, new[] { complete });
        }

        /// <summary><c>InProgress = true;</c> or <c>this.m_inProgress = true;</c> in StartOperation's body.</summary>
        private static string? FlagSetToTrue(MethodDeclarationSyntax startOperation)
        {
            foreach (var assignment in startOperation.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right.IsKind(SyntaxKind.TrueLiteralExpression))
                {
                    switch (assignment.Left)
                    {
                        case IdentifierNameSyntax name:
                            return name.Identifier.ValueText;
                        case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                            return access.ToString();
                    }
                }
            }

            return null;
        }
    }
}
