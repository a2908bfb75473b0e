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
using Microsoft.CodeAnalysis.Simplification;
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

            var newLine = DocumentStyle.EndOfLine(root);

            root = root.ReplaceNodes(targets.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(targets[original]));
            foreach (var (annotation, diagnostic, kind) in plans)
            {
                var node = root.GetAnnotatedNodes(annotation).FirstOrDefault();
                if (node is null)
                {
                    continue;
                }

                string Text(string key) => diagnostic.Properties.TryGetValue(key, out var value) ? value ?? string.Empty : string.Empty;
                root = kind switch
                {
                    HandleLeakAnalyzer.TryFinallyFix => WrapInTryFinally(root, (LocalDeclarationStatementSyntax)node, Text(HandleLeakAnalyzer.HolderProperty), Text(HandleLeakAnalyzer.FreeStatementProperty), newLine),
                    HandleLeakAnalyzer.FreeBeforeExitFix => FreeBeforeExit(root, (StatementSyntax)node, Text(HandleLeakAnalyzer.FreeStatementProperty), newLine),
                    _ => FreeInDispose(root, (MethodDeclarationSyntax)node, Text(HandleLeakAnalyzer.AllocatedTestProperty), Text(HandleLeakAnalyzer.FreeStatementProperty), Text(HandleLeakAnalyzer.ResetProperty), newLine),
                };

                if (kind == HandleLeakAnalyzer.FreeInDisposeFix && Text(HandleLeakAnalyzer.DropReadonlyProperty) == "true")
                {
                    root = DropReadonly(root, annotation, Text(HandleLeakAnalyzer.HolderProperty));
                }
            }

            return await DocumentStyle.ApplyAsync(document.WithSyntaxRoot(root), cancellationToken).ConfigureAwait(false);
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
        /// Laid out by hand (not by the formatter) so one fix at a time and Fix All give the same text: indented like the
        /// body's statements, and a one-line body (<c>public void Dispose() { }</c>) opened onto lines in the brace style
        /// of the type's other methods.
        /// </summary>
        private static SyntaxNode FreeInDispose(SyntaxNode root, MethodDeclarationSyntax dispose, string allocatedTest, string free, string reset, string newLine)
        {
            var body = dispose.Body!;
            var eol = newLine;
            var memberIndentation = Layout.LineIndentation(dispose);
            var unit = Layout.IndentationUnit(dispose.Parent as TypeDeclarationSyntax, memberIndentation);
            var onOneLine = !Layout.OnOwnLine(body.CloseBraceToken);
            var indent = !onOneLine && body.Statements.Count > 0 && Layout.OnOwnLine(body.Statements[0].GetFirstToken())
                ? Layout.LineIndentation(body.Statements[0])
                : (onOneLine ? memberIndentation : Layout.LineIndentation(body.CloseBraceToken)) + unit;
            var text = indent + "if (" + allocatedTest + ")" + eol
                + indent + "{" + eol
                + indent + unit + free + eol
                + (reset.Length > 0 ? indent + unit + reset + eol : string.Empty)
                + indent + "}" + eol;
            var guard = Annotated(SyntaxFactory.ParseStatement(text));
            if (!onOneLine)
            {
                return root.ReplaceNode(body, body.AddStatements(guard));
            }

            var allman = Layout.BracesOnOwnLine(dispose.Parent as TypeDeclarationSyntax);
            var statements = body.Statements
                .Select(s => s.WithLeadingTrivia(SyntaxFactory.Whitespace(indent)).WithTrailingTrivia(SyntaxFactory.EndOfLine(eol)))
                .Append(guard);
            var block = SyntaxFactory.Block(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(allman ? SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(eol), SyntaxFactory.Whitespace(memberIndentation)) : SyntaxFactory.TriviaList(SyntaxFactory.Space)).WithTrailingTrivia(SyntaxFactory.EndOfLine(eol)),
                SyntaxFactory.List(statements),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Whitespace(memberIndentation)).WithTrailingTrivia(body.CloseBraceToken.TrailingTrivia));
            var before = body.OpenBraceToken.GetPreviousToken();
            var rewritten = dispose.ReplaceToken(before, before.WithTrailingTrivia(before.TrailingTrivia.Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia))));
            rewritten = rewritten.WithBody(block);
            return root.ReplaceNode(dispose, rewritten);
        }

        /// <summary>
        /// <c>private readonly GCHandle m_pin;</c> → <c>private GCHandle m_pin;</c>. Freeing a readonly struct field calls
        /// Free() on a defensive copy: the field keeps its handle, IsAllocated stays true and a second Dispose frees it again.
        /// </summary>
        private static SyntaxNode DropReadonly(SyntaxNode root, SyntaxAnnotation disposeAnnotation, string fieldName)
        {
            var type = root.GetAnnotatedNodes(disposeAnnotation).FirstOrDefault()?.Parent as TypeDeclarationSyntax;
            var field = type?.Members.OfType<FieldDeclarationSyntax>().FirstOrDefault(f =>
                f.Modifiers.Any(SyntaxKind.ReadOnlyKeyword) && f.Declaration.Variables.Count == 1 && f.Declaration.Variables[0].Identifier.ValueText == fieldName);
            if (field is null)
            {
                return root;
            }

            var index = field.Modifiers.IndexOf(SyntaxKind.ReadOnlyKeyword);
            var keyword = field.Modifiers[index];
            var modifiers = field.Modifiers.RemoveAt(index);
            if (index == 0)
            {
                // The keyword's leading trivia (indentation, comments) moves to what now starts the declaration.
                var rewritten = field.WithModifiers(modifiers);
                var first = rewritten.GetFirstToken();
                return root.ReplaceNode(field, rewritten.ReplaceToken(first, first.WithLeadingTrivia(keyword.LeadingTrivia)));
            }

            return root.ReplaceNode(field, field.WithModifiers(modifiers));
        }

        private static T Annotated<T>(T node)
            where T : SyntaxNode => node.WithAdditionalAnnotations(Simplifier.Annotation);

        private static StatementSyntax Statement(string text, string newLine) =>
            Annotated(SyntaxFactory.ParseStatement(text)).WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(newLine));

        private static bool Mentions(SyntaxNode node, string name) =>
            node.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name);

        private static bool IsFreeOf(StatementSyntax statement, string name) =>
            statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation }
            && invocation.Expression is MemberAccessExpressionSyntax access
            && FreeNames.Contains(access.Name.Identifier.ValueText)
            && Mentions(invocation, name);
    }
}
