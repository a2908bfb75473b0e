using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// Upstream AsyncIO's overlapped has StartOperation but no Complete(): its completion handler clears the
    /// in-progress flag itself. The OVL001 fix then adds a Complete() that clears the flag StartOperation sets. The
    /// analyzer names that flag (following StartOperation(op) → StartOperation(op, buffer) forwarding); when it could
    /// not, the diagnostic says why in its NoFixReason property and no fix is offered.
    /// </summary>
    internal sealed class CompleteMethodSynthesis
    {
        private const string StartOperation = "StartOperation";

        private CompleteMethodSynthesis(DocumentId documentId, TypeDeclarationSyntax declaration, string flag, INamedTypeSymbol type)
        {
            DocumentId = documentId;
            Declaration = declaration;
            Flag = flag;
            Type = type;
        }

        public DocumentId DocumentId { get; }

        /// <summary>The part of the type that declares its StartOperation overloads.</summary>
        public TypeDeclarationSyntax Declaration { get; }

        public string Flag { get; }

        public INamedTypeSymbol Type { get; }

        /// <summary>Finds the overlapped type behind the diagnostic's start call, and the flag the analyzer found.</summary>
        public static async Task<CompleteMethodSynthesis?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(SyncFailureAnalyzer.CompleteFlagProperty, out var flag) || string.IsNullOrEmpty(flag)
                || diagnostic.AdditionalLocations.Count == 0)
            {
                return null;
            }

            var startLocation = diagnostic.AdditionalLocations[0];
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || startLocation.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            var invocation = root.FindNode(startLocation.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { ContainingType: { } type } startMethod)
            {
                return null;
            }

            // A partial type: the part that holds the StartOperation overloads, so Complete() lands beside them.
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax declaration
                    && declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == startMethod.Name)
                    && document.Project.Solution.GetDocument(declaration.SyntaxTree) is { } typeDocument)
                {
                    return new CompleteMethodSynthesis(typeDocument.Id, declaration, flag!, type);
                }
            }

            return null;
        }

        /// <summary>
        /// Adds <c>public void Complete() { Flag = false; }</c> after the last StartOperation overload, unless the type has a
        /// Complete() already: indented like its neighbours, with their brace style, blank lines and line ending.
        /// </summary>
        public static TypeDeclarationSyntax AddTo(TypeDeclarationSyntax type, string flag, string endOfLine)
        {
            if (type.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "Complete" && m.ParameterList.Parameters.Count == 0))
            {
                return type;
            }

            var group = type.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText == StartOperation).ToList();
            var anchor = (MemberDeclarationSyntax?)group.LastOrDefault() ?? type.Members.LastOrDefault();
            var indentation = anchor is null ? string.Empty : Layout.LineIndentation(anchor);
            var unit = Layout.IndentationUnit(type, indentation);
            var sameLineBrace = !Layout.BracesOnOwnLine(type);
            var blankLines = BlankLinesBetweenMembers(type);

            var text = string.Concat(Enumerable.Repeat(endOfLine, blankLines))
                + indentation + "public void Complete()" + (sameLineBrace ? " {" : endOfLine + indentation + "{") + endOfLine
                + indentation + unit + flag + " = false;" + endOfLine
                + indentation + "}" + endOfLine;
            var complete = SyntaxFactory.ParseMemberDeclaration(text)!;
            return anchor is null ? type.AddMembers(complete) : type.InsertNodesAfter(anchor, new[] { complete });
        }

        /// <summary>The blank lines the type puts above its methods (the most common count; one when it has no method after another member).</summary>
        private static int BlankLinesBetweenMembers(TypeDeclarationSyntax type)
        {
            var counts = type.Members.Skip(1).OfType<MethodDeclarationSyntax>().Select(BlankLinesAbove).ToList();
            return counts.Count == 0 ? 1 : counts.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;
        }

        private static int BlankLinesAbove(SyntaxNode member)
        {
            var blank = 0;
            foreach (var trivia in member.GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    blank++;
                }
                else if (!trivia.IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    break;
                }
            }

            return blank;
        }
    }
}
