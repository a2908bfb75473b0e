using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// Turns an operation into a <see cref="ReceiverKey"/>: looks through conversions and flow captures, follows
    /// field and property chains, and replaces a local that is assigned exactly once from another receiver
    /// (<c>var ov = m_socket.m_inOverlapped;</c>) by that receiver. Alias chains are bounded and cycle-safe.
    /// </summary>
    internal sealed class ReceiverResolver
    {
        private const int MaxDepth = 64;

        private readonly CaptureMap captures;
        private readonly Dictionary<ILocalSymbol, IOperation?> singleAssignments = new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);

        public ReceiverResolver(ControlFlowGraph graph, CaptureMap captures)
        {
            this.captures = captures;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    CollectLocalWrites(operation);
                }

                if (block.BranchValue != null)
                {
                    CollectLocalWrites(block.BranchValue);
                }
            }
        }

        public CaptureMap Captures => captures;

        public ReceiverKey? Resolve(IOperation? operation) => Resolve(operation, 0, null);

        private ReceiverKey? Resolve(IOperation? operation, int depth, HashSet<ILocalSymbol>? visitedLocals)
        {
            if (depth > MaxDepth)
            {
                return null;
            }

            operation = Unwrap(operation);
            switch (operation)
            {
                case IInstanceReferenceOperation instance when instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance:
                    return instance.Type is INamedTypeSymbol thisType ? ReceiverKey.ForThis(thisType) : null;

                case IParameterReferenceOperation parameter:
                    return ReceiverKey.ForVariable(parameter.Parameter);

                case ILocalReferenceOperation local:
                    if (singleAssignments.TryGetValue(local.Local, out var value) && value != null)
                    {
                        visitedLocals ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                        if (visitedLocals.Add(local.Local))
                        {
                            var aliased = Resolve(value, depth + 1, visitedLocals);
                            if (aliased != null)
                            {
                                return aliased;
                            }
                        }
                    }

                    return ReceiverKey.ForVariable(local.Local);

                case IFieldReferenceOperation field:
                    return Member(field.Field, field.Instance, depth, visitedLocals);

                case IPropertyReferenceOperation property when property.Arguments.Length == 0:
                    return Member(property.Property, property.Instance, depth, visitedLocals);

                default:
                    return null;
            }
        }

        private ReceiverKey? Member(ISymbol member, IOperation? instance, int depth, HashSet<ILocalSymbol>? visitedLocals)
        {
            if (member.IsStatic)
            {
                return ReceiverKey.ForStaticMember(member.ContainingType, member);
            }

            // A member of this: the key built in one step, not the key of this and then a copy with the member appended.
            if (depth + 1 <= MaxDepth && Unwrap(instance) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } self)
            {
                return self.Type is INamedTypeSymbol thisType ? ReceiverKey.ForThisMember(thisType, member) : null;
            }

            return Resolve(instance, depth + 1, visitedLocals)?.Append(member);
        }

        /// <summary>Looks through conversions, parentheses and flow captures.</summary>
        public IOperation? Unwrap(IOperation? operation) => captures.Unwrap(operation);

        private void CollectLocalWrites(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when !assignment.IsRef:
                        // A second write means the local is not a stable alias.
                        singleAssignments[target.Local] = singleAssignments.ContainsKey(target.Local) ? null : assignment.Value;
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation refTarget }:
                        singleAssignments[refTarget.Local] = null;
                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation compound }:
                        singleAssignments[compound.Local] = null;
                        break;
                    case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented }:
                        singleAssignments[incremented.Local] = null;
                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation byRef } argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out:
                        singleAssignments[byRef.Local] = null;
                        break;
                    case IAddressOfOperation { Reference: ILocalReferenceOperation addressed }:
                        singleAssignments[addressed.Local] = null;
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var written in deconstruction.Target.DescendantsAndSelf())
                        {
                            if (written is ILocalReferenceOperation deconstructed)
                            {
                                singleAssignments[deconstructed.Local] = null;
                            }
                        }

                        break;
                }
            }
        }
    }
}
