using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Bool locals used as path flags: assigned only constants (<c>cleanup = true;</c>) and tested by a branch
    /// (<c>if (cleanup) ov.Complete();</c>). A dataflow keeps one state per valuation of these flags, so the branch that
    /// set a flag and the branch that tests it are correlated instead of joined: the failure path that sets
    /// <c>cleanup</c> reaches the finish, the one that does not reaches the exit.
    /// A valuation packs two bits per flag (0 unknown, 1 false, 2 true) into an int.
    /// </summary>
    internal sealed class FlagLocals
    {
        /// <summary>
        /// At most this many flags per graph (the first tested, in block order): a block then holds at most 3^3 = 27
        /// states, so the lattice stays small and the fixed point cheap. Further bool locals are not tracked: their
        /// branches join both outcomes, as before (path-insensitive, the precision of a graph without flags).
        /// </summary>
        public const int MaxFlags = 3;

        public const int Unknown = 0;

        private const int False = 1;
        private const int True = 2;

        private readonly ImmutableArray<ILocalSymbol> flags;
        private readonly ImmutableArray<ImmutableArray<(int Flag, bool Value)>> writesPerBlock;

        private FlagLocals(ImmutableArray<ILocalSymbol> flags, ImmutableArray<ImmutableArray<(int Flag, bool Value)>> writesPerBlock)
        {
            this.flags = flags;
            this.writesPerBlock = writesPerBlock;
        }

        public static FlagLocals None { get; } = new FlagLocals(ImmutableArray<ILocalSymbol>.Empty, ImmutableArray<ImmutableArray<(int, bool)>>.Empty);

        public int Count => flags.Length;

        public static FlagLocals Create(ControlFlowGraph graph, CaptureMap captures)
        {
            var tested = new List<ILocalSymbol>();
            foreach (var block in graph.Blocks)
            {
                if (block.ConditionalSuccessor != null && TestedLocal(block.BranchValue, captures, out var local, out _)
                    && local!.Type.SpecialType == SpecialType.System_Boolean && !tested.Contains(local, SymbolEqualityComparer.Default))
                {
                    tested.Add(local);
                }
            }

            if (tested.Count == 0)
            {
                return None;
            }

            var disqualified = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var assignedConstant = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    Classify(operation, assignedConstant, disqualified);
                }

                if (block.BranchValue != null)
                {
                    // A write inside a condition ("if (cleanup = Try())") is not a flag write this analysis places.
                    foreach (var nested in block.BranchValue.DescendantsAndSelf())
                    {
                        if (nested is IAssignmentOperation { Target: ILocalReferenceOperation written })
                        {
                            disqualified.Add(written.Local);
                        }
                    }
                }
            }

            DisqualifyCaptured(graph, tested, disqualified);
            var flags = ImmutableArray.CreateBuilder<ILocalSymbol>();
            foreach (var local in tested)
            {
                if (flags.Count < MaxFlags && assignedConstant.Contains(local) && !disqualified.Contains(local))
                {
                    flags.Add(local);
                }
            }

            if (flags.Count == 0)
            {
                return None;
            }

            var tracked = flags.ToImmutable();
            var writes = ImmutableArray.CreateBuilder<ImmutableArray<(int, bool)>>(graph.Blocks.Length);
            foreach (var block in graph.Blocks)
            {
                writes.Add(BlockWrites(block, tracked));
            }

            return new FlagLocals(tracked, writes.MoveToImmutable());
        }

        /// <summary>The valuation after the block's constant writes (in evaluation order, the last write wins).</summary>
        public int AfterBlock(int ordinal, int valuation)
        {
            if (flags.IsEmpty)
            {
                return valuation;
            }

            foreach (var (flag, value) in writesPerBlock[ordinal])
            {
                valuation = With(valuation, flag, value ? True : False);
            }

            return valuation;
        }

        /// <summary>
        /// The valuation on the branch of <paramref name="block"/> taken when its branch value is <paramref name="branchValue"/>;
        /// false when the valuation rules that branch out (the flag is known to have the other value).
        /// </summary>
        public bool TryRefine(BasicBlock block, bool branchValue, CaptureMap captures, ref int valuation)
        {
            if (flags.IsEmpty || !TestedLocal(block.BranchValue, captures, out var local, out var negated))
            {
                return true;
            }

            var flag = flags.IndexOf(local!, 0, SymbolEqualityComparer.Default);
            if (flag < 0)
            {
                return true;
            }

            var required = (branchValue != negated) ? True : False;
            var current = (valuation >> (2 * flag)) & 3;
            if (current != Unknown && current != required)
            {
                return false;
            }

            valuation = With(valuation, flag, required);
            return true;
        }

        private static int With(int valuation, int flag, int value) => (valuation & ~(3 << (2 * flag))) | (value << (2 * flag));

        /// <summary><c>flag</c>, <c>!flag</c>, <c>flag == true</c>, <c>flag != false</c>...: the local tested and whether the test is inverted.</summary>
        private static bool TestedLocal(IOperation? condition, CaptureMap captures, out ILocalSymbol? local, out bool negated)
        {
            local = null;
            negated = false;
            for (var depth = 0; depth < 8 && condition != null; depth++)
            {
                switch (condition)
                {
                    case IConversionOperation conversion:
                        condition = conversion.Operand;
                        continue;
                    case IFlowCaptureReferenceOperation:
                        condition = captures.Resolve(condition);
                        continue;
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                        negated = !negated;
                        condition = not.Operand;
                        continue;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                        when binary.RightOperand.ConstantValue is { HasValue: true, Value: bool constant }:
                        negated ^= constant != (binary.OperatorKind == BinaryOperatorKind.Equals);
                        condition = binary.LeftOperand;
                        continue;
                    case ILocalReferenceOperation reference:
                        local = reference.Local;
                        return true;
                    default:
                        return false;
                }
            }

            return false;
        }

        private static void Classify(IOperation root, HashSet<ILocalSymbol> assignedConstant, HashSet<ILocalSymbol> disqualified)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        if (!assignment.IsRef && assignment.Value.ConstantValue is { HasValue: true, Value: bool })
                        {
                            assignedConstant.Add(target.Local);
                        }
                        else
                        {
                            disqualified.Add(target.Local);
                        }

                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation compound }:
                        disqualified.Add(compound.Local);
                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation byRef } argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out or RefKind.In:
                        disqualified.Add(byRef.Local);
                        break;
                    case IAddressOfOperation { Reference: ILocalReferenceOperation addressed }:
                        disqualified.Add(addressed.Local);
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var written in deconstruction.Target.DescendantsAndSelf())
                        {
                            if (written is ILocalReferenceOperation deconstructed)
                            {
                                disqualified.Add(deconstructed.Local);
                            }
                        }

                        break;
                }
            }
        }

        /// <summary>A lambda or local function may write a captured local at any call: such a local is no flag.</summary>
        private static void DisqualifyCaptured(ControlFlowGraph graph, List<ILocalSymbol> tested, HashSet<ILocalSymbol> disqualified)
        {
            var bodies = new List<SyntaxNode>();
            foreach (var function in graph.LocalFunctions)
            {
                foreach (var reference in function.DeclaringSyntaxReferences)
                {
                    bodies.Add(reference.GetSyntax());
                }
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var nested in operation.DescendantsAndSelf())
                    {
                        if (nested is IFlowAnonymousFunctionOperation lambda)
                        {
                            bodies.Add(lambda.Syntax);
                        }
                    }
                }
            }

            foreach (var body in bodies)
            {
                foreach (var identifier in body.DescendantNodes())
                {
                    if (identifier is IdentifierNameSyntax name)
                    {
                        foreach (var local in tested)
                        {
                            if (local.Name == name.Identifier.ValueText)
                            {
                                disqualified.Add(local);
                            }
                        }
                    }
                }
            }
        }

        private static ImmutableArray<(int Flag, bool Value)> BlockWrites(BasicBlock block, ImmutableArray<ILocalSymbol> flags)
        {
            ImmutableArray<(int, bool)>.Builder? writes = null;
            foreach (var operation in EvaluationOrder.PostOrder(block))
            {
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && assignment.Value.ConstantValue is { HasValue: true, Value: bool value })
                {
                    var flag = flags.IndexOf(target.Local, 0, SymbolEqualityComparer.Default);
                    if (flag >= 0)
                    {
                        writes ??= ImmutableArray.CreateBuilder<(int, bool)>();
                        writes.Add((flag, value));
                    }
                }
            }

            return writes?.ToImmutable() ?? ImmutableArray<(int, bool)>.Empty;
        }
    }
}
