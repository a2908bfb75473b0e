using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.CodeFixes
{
    /// <summary>
    /// OVL003/OVL005 fixes, offered only where the analyzer found the edit unambiguous:
    /// a local → free it in a <c>finally</c> around the rest of its uses (existing plain frees move there);
    /// a local with one leaking throw/return that every path reaches holding it → free it just before that exit;
    /// a member nothing frees, in a type with <c>Dispose()</c> → free it there, guarded and reset.
    /// Fix All applies every fix of a document in one pass (annotations keep later targets findable).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HandleLeakCodeFixProvider))]
    [Shared]
    public sealed class HandleLeakCodeFixProvider : CodeFixProvider
    {
        private static readonly ImmutableHashSet<string> FreeNames = ImmutableHashSet.Create("Free", "FreeHGlobal", "FreeCoTaskMem", "AlignedFree", "Dispose");

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.GCHandleNotFreed, RuleIdentifiers.NativeMemoryNotFreed);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create((context, document, diagnostics) => ApplyAsync(document, diagnostics, context.CancellationToken)!);

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(HandleLeakAnalyzer.FixProperty, out var kind) || kind is null
                    || !diagnostic.Properties.TryGetValue(HandleLeakAnalyzer.HolderProperty, out var holder) || holder is null)
                {
                    continue;
                }

                var title = kind switch
                {
                    HandleLeakAnalyzer.TryFinallyFix => "Free '" + holder + "' in a finally block",
                    HandleLeakAnalyzer.FreeBeforeExitFix => "Free '" + holder + "' before it leaves the method",
                    _ => "Free '" + holder + "' in Dispose",
                };
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => ApplyAsync(document, ImmutableArray.Create(diagnostic), ct), "HandleLeak." + kind),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var plans = new List<(SyntaxAnnotation Annotation, Diagnostic Diagnostic, string Kind)>();
            var targets = new Dictionary<SyntaxNode, SyntaxAnnotation>();
            var disposeEdits = new HashSet<(SyntaxNode, string)>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                if (!diagnostic.Properties.TryGetValue(HandleLeakAnalyzer.FixProperty, out var kind) || kind is null)
                {
                    continue;
                }

                var target = FindTarget(root, diagnostic, kind);
                if (target is null || (kind == HandleLeakAnalyzer.FreeInDisposeFix && !disposeEdits.Add((target, diagnostic.Properties[HandleLeakAnalyzer.HolderProperty]!))))
                {
                    continue;
                }

                if (!targets.TryGetValue(target, out var annotation))
                {
                    annotation = new SyntaxAnnotation();
                    targets.Add(target, annotation);
                }

                plans.Add((annotation, diagnostic, kind));
            }

            if (plans.Count == 0)
            {
                return document;
            }

            var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
            if (newLine.Length == 0)
            {
                newLine = "\n";
            }

            root = root.ReplaceNodes(targets.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(targets[original]));
            var hasUsingSystem = root is CompilationUnitSyntax unit && unit.Usings.Any(u => u.Name?.ToString() == "System" && u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None));
            foreach (var (annotation, diagnostic, kind) in plans)
            {
                var node = root.GetAnnotatedNodes(annotation).FirstOrDefault();
                if (node is null)
                {
                    continue;
                }

                string Text(string key) => Simplify(diagnostic.Properties.TryGetValue(key, out var value) ? value ?? string.Empty : string.Empty, hasUsingSystem);
                root = kind switch
                {
                    HandleLeakAnalyzer.TryFinallyFix => WrapInTryFinally(root, (LocalDeclarationStatementSyntax)node, Text(HandleLeakAnalyzer.HolderProperty), Text(HandleLeakAnalyzer.FreeStatementProperty), newLine),
                    HandleLeakAnalyzer.FreeBeforeExitFix => FreeBeforeExit(root, (StatementSyntax)node, Text(HandleLeakAnalyzer.FreeStatementProperty), newLine),
                    _ => FreeInDispose(root, (MethodDeclarationSyntax)node, Text(HandleLeakAnalyzer.AllocatedTestProperty), Text(HandleLeakAnalyzer.FreeStatementProperty), Text(HandleLeakAnalyzer.ResetProperty), newLine),
                };
            }

            var changed = document.WithSyntaxRoot(root);
            return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private static SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic, string kind)
        {
            var allocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            switch (kind)
            {
                case HandleLeakAnalyzer.TryFinallyFix:
                    return allocation.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { Parent: BlockSyntax } declaration ? declaration : null;

                case HandleLeakAnalyzer.FreeBeforeExitFix:
                    return diagnostic.AdditionalLocations.Count == 1
                        && root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is StatementSyntax exit
                        ? exit
                        : null;

                default:
                    var type = allocation.FirstAncestorOrSelf<TypeDeclarationSyntax>();
                    return type?.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m =>
                        m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 0 && m.Body != null && !m.Modifiers.Any(SyntaxKind.StaticKeyword));
            }
        }

        /// <summary>
        /// <c>var h = Alloc(); a; b(h); Free(h); c;</c> → <c>var h = Alloc(); try { a; b(h); } finally { Free(h); } c;</c>.
        /// The try reaches the last statement that uses the local (or the end of the block when a local declared inside is used later).
        /// </summary>
        private static SyntaxNode WrapInTryFinally(SyntaxNode root, LocalDeclarationStatementSyntax declaration, string name, string free, string newLine)
        {
            var block = (BlockSyntax)declaration.Parent!;
            var statements = block.Statements;
            var index = statements.IndexOf(declaration);
            var end = -1;
            for (var i = index + 1; i < statements.Count; i++)
            {
                if (Mentions(statements[i], name))
                {
                    end = i;
                }
            }

            if (end < 0)
            {
                return root;
            }

            var declared = new HashSet<string>();
            for (var i = index + 1; i <= end; i++)
            {
                foreach (var node in statements[i].DescendantNodesAndSelf())
                {
                    switch (node)
                    {
                        case VariableDeclaratorSyntax variable:
                            declared.Add(variable.Identifier.ValueText);
                            break;
                        case SingleVariableDesignationSyntax designation:
                            declared.Add(designation.Identifier.ValueText);
                            break;
                    }
                }
            }

            for (var i = end + 1; i < statements.Count; i++)
            {
                if (declared.Any(d => Mentions(statements[i], d)))
                {
                    end = statements.Count - 1;
                    break;
                }
            }

            var inner = new List<StatementSyntax>();
            for (var i = index + 1; i <= end; i++)
            {
                if (!IsFreeOf(statements[i], name))
                {
                    inner.Add(statements[i]);
                }
            }

            var leading = statements[index + 1].GetLeadingTrivia();
            if (inner.Count > 0)
            {
                inner[0] = inner[0].WithLeadingTrivia(inner[0].GetLeadingTrivia().SkipWhile(t => t.IsKind(SyntaxKind.EndOfLineTrivia) || t.IsKind(SyntaxKind.WhitespaceTrivia)));
            }

            var tryStatement = SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(inner),
                    default,
                    SyntaxFactory.FinallyClause(SyntaxFactory.Block(Statement(free, newLine))))
                .WithLeadingTrivia(leading)
                .WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(newLine))
                .WithAdditionalAnnotations(Formatter.Annotation);

            var rewritten = statements.Take(index + 1).Append(tryStatement).Concat(statements.Skip(end + 1));
            return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(rewritten)));
        }

        /// <summary><c>throw …;</c> → <c>Free(p); throw …;</c> (in a new block when the exit was an embedded statement).</summary>
        private static SyntaxNode FreeBeforeExit(SyntaxNode root, StatementSyntax exit, string free, string newLine)
        {
            var freeStatement = Statement(free, newLine).WithAdditionalAnnotations(Formatter.Annotation);
            if (exit.Parent is BlockSyntax block)
            {
                var leading = exit.GetLeadingTrivia();
                var indentation = leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
                var statements = block.Statements.Replace(exit, exit.WithLeadingTrivia(indentation)).Insert(block.Statements.IndexOf(exit), freeStatement.WithLeadingTrivia(leading));
                return root.ReplaceNode(block, block.WithStatements(statements));
            }

            var wrapped = SyntaxFactory.Block(freeStatement, exit.WithoutLeadingTrivia())
                .WithLeadingTrivia(exit.GetLeadingTrivia())
                .WithTrailingTrivia(exit.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(exit, wrapped);
        }

        /// <summary>
        /// Appends <c>if (allocated) { free; reset; }</c> to Dispose: idempotent, so a second Dispose frees nothing twice.
        /// Laid out by hand (not by the formatter) so one fix at a time and Fix All give the same text.
        /// </summary>
        private static SyntaxNode FreeInDispose(SyntaxNode root, MethodDeclarationSyntax dispose, string allocatedTest, string free, string reset, string newLine)
        {
            var body = dispose.Body!;
            var eol = newLine;
            var outer = string.Concat(body.OpenBraceToken.LeadingTrivia.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Select(t => t.ToString()));
            var indent = outer + "    ";
            var text = indent + "if (" + allocatedTest + ")" + eol
                + indent + "{" + eol
                + indent + "    " + free + eol
                + (reset.Length > 0 ? indent + "    " + reset + eol : string.Empty)
                + indent + "}" + eol;
            var guard = SyntaxFactory.ParseStatement(text);
            return root.ReplaceNode(body, body.AddStatements(guard));
        }

        private static StatementSyntax Statement(string text, string newLine) =>
            SyntaxFactory.ParseStatement(text).WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(newLine));

        private static bool Mentions(SyntaxNode node, string name) =>
            node.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name);

        private static bool IsFreeOf(StatementSyntax statement, string name) =>
            statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation }
            && invocation.Expression is MemberAccessExpressionSyntax access
            && FreeNames.Contains(access.Name.Identifier.ValueText)
            && Mentions(invocation, name);

        private static string Simplify(string text, bool hasUsingSystem) => hasUsingSystem ? text.Replace("System.IntPtr", "IntPtr").Replace("System.UIntPtr", "UIntPtr") : text;
    }
}
