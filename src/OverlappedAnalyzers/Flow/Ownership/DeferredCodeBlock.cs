using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// A member's code block kept for the symbol-end decision (<see cref="TypeOwnership.Defer"/>): what analyzing it
    /// later needs from its code-block context.
    /// </summary>
    internal sealed class DeferredCodeBlock
    {
        public DeferredCodeBlock(SemanticModel model, SyntaxNode codeBlock, IMethodSymbol method, AnalyzerOptions options)
        {
            Model = model;
            CodeBlock = codeBlock;
            Method = method;
            Options = options;
        }

        public SemanticModel Model { get; }

        public SyntaxNode CodeBlock { get; }

        public IMethodSymbol Method { get; }

        /// <summary>The options of the analysis (a test host's work meter travels in them).</summary>
        public AnalyzerOptions Options { get; }
    }
}
