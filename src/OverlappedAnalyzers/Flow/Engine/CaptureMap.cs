using System.Collections.Generic;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// The values that control-flow lowering moved into flow captures (switch values, conditional
    /// operands, ...). Rules resolve a capture reference to its value before asking what it is.
    /// </summary>
    internal sealed class CaptureMap
    {
        /// <summary>Bounds <see cref="Unwrap"/>: a 10,000-term expression must not make it walk forever.</summary>
        private const int MaxUnwrapDepth = 64;

        private readonly Dictionary<CaptureId, IFlowCaptureOperation?> captures = new Dictionary<CaptureId, IFlowCaptureOperation?>();
        private readonly ControlFlowGraph graph;
        private ErrorValues? errorValues;

        public CaptureMap(ControlFlowGraph graph)
        {
            this.graph = graph;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    if (operation is IFlowCaptureOperation capture)
                    {
                        // A capture id written on two branches (c ? a : b) has no single value: remember that.
                        captures[capture.Id] = captures.ContainsKey(capture.Id) ? null : capture;
                    }
                }
            }
        }

        /// <summary>The error values of the same graph (built on first use: most graphs never branch on an error).</summary>
        public ErrorValues ErrorValues => errorValues ??= new ErrorValues(graph, this);

        /// <summary>Looks through flow-capture references (and chains of them) to the captured value, if it is unique.</summary>
        public Microsoft.CodeAnalysis.IOperation? Resolve(Microsoft.CodeAnalysis.IOperation? operation)
        {
            for (var depth = 0; depth < 16 && operation is IFlowCaptureReferenceOperation reference; depth++)
            {
                if (!captures.TryGetValue(reference.Id, out var capture) || capture is null)
                {
                    return null;
                }

                operation = capture.Value;
            }

            return operation;
        }

        /// <summary>Looks through conversions, parentheses and flow captures to the value they carry.</summary>
        public Microsoft.CodeAnalysis.IOperation? Unwrap(Microsoft.CodeAnalysis.IOperation? operation)
        {
            for (var depth = 0; depth < MaxUnwrapDepth && operation != null; depth++)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        break;
                    case IFlowCaptureReferenceOperation:
                        operation = Resolve(operation);
                        break;
                    default:
                        return operation;
                }
            }

            return operation;
        }
    }
}
