using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// The locals whose every write is in this graph: declared in it (not an outer local a lambda or local function
    /// writes) and not named by a nested function (whose writes the graph does not contain). Only these are tracked.
    /// </summary>
    internal sealed class TrackableLocals
    {
        private readonly ControlFlowGraph graph;
        private readonly CancellationToken cancellationToken;
        private readonly HashSet<string> capturedNames;

        public TrackableLocals(ControlFlowGraph graph, CancellationToken cancellationToken)
        {
            this.graph = graph;
            this.cancellationToken = cancellationToken;
            capturedNames = NamesUsedInNestedFunctions();
        }

        public bool IsTrackable(ILocalSymbol local) => !capturedNames.Contains(local.Name) && IsDeclaredInThisGraph(local);

        /// <summary>Names a lambda or local function uses: a local they may write is not tracked (its writes are not in this graph).</summary>
        private HashSet<string> NamesUsedInNestedFunctions()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var nested = new List<SyntaxNode>();
            foreach (var localFunction in graph.LocalFunctions)
            {
                nested.AddRange(localFunction.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)));
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in EvaluationOrder.PostOrder(block))
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        nested.Add(lambda.Syntax);
                    }
                }
            }

            foreach (var node in nested)
            {
                foreach (var identifier in node.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    names.Add(identifier.Identifier.ValueText);
                }
            }

            return names;
        }

        /// <summary>A local of this graph, not an outer local that a lambda or local function writes.</summary>
        private bool IsDeclaredInThisGraph(ILocalSymbol local)
        {
            var root = graph.OriginalOperation.Syntax;
            var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            for (var node = declaration; node != null; node = node.Parent)
            {
                if (node == root)
                {
                    return true;
                }

                if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                {
                    return false;
                }
            }

            return false;
        }
    }
}
