using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Dispose
{
    /// <summary>How a method uses an overlapped field or one of its own parameters.</summary>
    internal enum DisposeUseKind
    {
        /// <summary>Read through a member access, compared with null: ownership stays where it is.</summary>
        Harmless,

        /// <summary>Assigned; <see cref="DisposeUse.Created"/> says whether with a new instance.</summary>
        Write,

        /// <summary><c>x.Dispose()</c>, <c>x?.Dispose()</c>, <c>((IDisposable)x).Dispose()</c>.</summary>
        Dispose,

        /// <summary>Copied into a local: whoever holds the local may dispose it.</summary>
        LocalCopy,

        /// <summary>Passed to a method of the analysed type (one level of helper is followed).</summary>
        HelperArgument,

        /// <summary>Stored elsewhere, returned, passed by ref or to foreign code: ownership may have moved.</summary>
        Escape,
    }

    internal readonly struct DisposeUse
    {
        public DisposeUse(ISymbol variable, DisposeUseKind kind, bool created = false, IMethodSymbol? helper = null, int ordinal = -1)
        {
            Variable = variable;
            Kind = kind;
            Created = created;
            Helper = helper;
            Ordinal = ordinal;
        }

        /// <summary>The field (original definition) or parameter used.</summary>
        public ISymbol Variable { get; }

        public DisposeUseKind Kind { get; }

        public bool Created { get; }

        public IMethodSymbol? Helper { get; }

        public int Ordinal { get; }
    }

    /// <summary>A free (primitive, or a call to a method of the type) in a Dispose body and the members its guards read.</summary>
    internal readonly struct GuardedFree
    {
        public GuardedFree(string? primitiveKind, IMethodSymbol? helper, ImmutableHashSet<ISymbol> guardMembers)
        {
            PrimitiveKind = primitiveKind;
            Helper = helper;
            GuardMembers = guardMembers;
        }

        public string? PrimitiveKind { get; }

        public IMethodSymbol? Helper { get; }

        /// <summary>Instance members read by every <c>if</c>/<c>switch</c> around the call and every earlier <c>if (...) return;</c>.</summary>
        public ImmutableHashSet<ISymbol> GuardMembers { get; }
    }

    /// <summary>
    /// What one member of the analysed type does that OVL004 cares about, gathered from its operation blocks
    /// (no control-flow graph: the shapes are structural). Symbols are original definitions.
    /// </summary>
    internal sealed class DisposeMethodFacts
    {
        private const int MaxAncestors = 256;

        private DisposeMethodFacts(ISymbol owner)
        {
            Owner = owner;
        }

        public ISymbol Owner { get; }

        public bool HasErrors { get; private set; }

        public HashSet<ISymbol> WrittenMembers { get; } = DisposeShapes.NewSymbolSet();

        public HashSet<ISymbol> ReadMembers { get; } = DisposeShapes.NewSymbolSet();

        public HashSet<string> PrimitiveFrees { get; } = new HashSet<string>();

        public HashSet<ISymbol> CalledMethods { get; } = DisposeShapes.NewSymbolSet();

        public List<DisposeUse> Uses { get; } = new List<DisposeUse>();

        public List<GuardedFree> GuardedFrees { get; } = new List<GuardedFree>();

        /// <summary>
        /// Gathers the facts of <paramref name="owner"/>. Only what the type's checks will read is gathered: the members
        /// read and written and the frees (<paramref name="collectDeferral"/>) serve the deferred-free check of an
        /// overlapped type, the field and parameter uses (non-empty <paramref name="trackedFields"/>) the undisposed-field
        /// check; called methods and errors serve both.
        /// </summary>
        public static DisposeMethodFacts Collect(ISymbol owner, ImmutableArray<IOperation> blocks, INamedTypeSymbol type, ISet<ISymbol> trackedFields, bool collectDeferral, bool collectGuards)
        {
            var facts = new DisposeMethodFacts(owner);
            var collectUses = trackedFields.Count > 0;
            foreach (var block in blocks)
            {
                if (block.Syntax.ContainsDiagnostics)
                {
                    facts.HasErrors = true;
                    return facts;
                }

                foreach (var operation in block.DescendantsAndSelf())
                {
                    if (operation is IInvalidOperation || operation.Type?.TypeKind == TypeKind.Error)
                    {
                        facts.HasErrors = true;
                        return facts;
                    }

                    facts.Visit(operation, type, trackedFields, collectDeferral, collectUses, collectGuards);
                }
            }

            return facts;
        }

        private void Visit(IOperation operation, INamedTypeSymbol type, ISet<ISymbol> trackedFields, bool collectDeferral, bool collectUses, bool collectGuards)
        {
            switch (operation)
            {
                case IFieldInitializerOperation initializer:
                    foreach (var field in initializer.InitializedFields)
                    {
                        var original = field.OriginalDefinition;
                        if (collectDeferral)
                        {
                            WrittenMembers.Add(original);
                        }

                        if (collectUses && trackedFields.Contains(original))
                        {
                            Uses.Add(new DisposeUse(original, DisposeUseKind.Write, IsCreation(initializer.Value)));
                        }
                    }

                    break;

                case IMemberReferenceOperation member when member is IFieldReferenceOperation or IPropertyReferenceOperation:
                    if (!collectDeferral && !(collectUses && member is IFieldReferenceOperation))
                    {
                        break;
                    }

                    var symbol = member.Member.OriginalDefinition;
                    if (collectDeferral && !member.Member.IsStatic && IsInHierarchy(member.Member.ContainingType, type))
                    {
                        if (IsWriteTarget(member))
                        {
                            WrittenMembers.Add(symbol);
                        }
                        else
                        {
                            ReadMembers.Add(symbol);
                        }
                    }

                    if (collectUses && member is IFieldReferenceOperation && trackedFields.Contains(symbol))
                    {
                        Uses.Add(Classify(symbol, member, type));
                    }

                    break;

                case IParameterReferenceOperation parameter when collectUses && parameter.Parameter.ContainingSymbol is IMethodSymbol:
                    Uses.Add(Classify(parameter.Parameter, parameter, type));
                    break;

                case IInvocationOperation call:
                    var kind = collectDeferral ? DisposeShapes.PrimitiveFreeKind(call) : null;
                    var target = call.TargetMethod.OriginalDefinition;
                    var local = IsInHierarchy(target.ContainingType, type);
                    if (kind != null)
                    {
                        PrimitiveFrees.Add(kind);
                    }

                    if (local)
                    {
                        CalledMethods.Add(target);
                    }

                    if (collectGuards && (kind != null || local))
                    {
                        GuardedFrees.Add(new GuardedFree(kind, local ? target : null, GuardMembers(call, type)));
                    }

                    break;
            }
        }

        /// <summary>
        /// The instance members the call's execution depends on: conditions of enclosing <c>if</c>/<c>switch</c>
        /// and of earlier sibling <c>if</c> statements that <c>return</c> (the "in progress: defer" exits).
        /// </summary>
        private static ImmutableHashSet<ISymbol> GuardMembers(IOperation call, INamedTypeSymbol type)
        {
            var members = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            var child = call;
            var parent = call.Parent;
            for (var depth = 0; parent != null && depth < MaxAncestors; depth++)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return members.ToImmutable();
                    case IConditionalOperation conditional when child != conditional.Condition:
                        AddMembers(conditional.Condition, type, members);
                        break;
                    case ISwitchOperation @switch when child != @switch.Value:
                        AddMembers(@switch.Value, type, members);
                        break;
                    case IBlockOperation block:
                        foreach (var statement in block.Operations)
                        {
                            if (statement == child)
                            {
                                break;
                            }

                            if (statement is IConditionalOperation earlier && (Returns(earlier.WhenTrue) || Returns(earlier.WhenFalse)))
                            {
                                AddMembers(earlier.Condition, type, members);
                            }
                            else if (statement is ISwitchOperation earlierSwitch && Returns(earlierSwitch))
                            {
                                AddMembers(earlierSwitch.Value, type, members);
                            }
                        }

                        break;
                }

                child = parent;
                parent = parent.Parent;
            }

            return members.ToImmutable();
        }

        private static bool Returns(IOperation? branch)
        {
            if (branch is null)
            {
                return false;
            }

            foreach (var operation in branch.DescendantsAndSelf())
            {
                if (operation is IReturnOperation { Kind: OperationKind.Return } && !InsideNestedFunction(operation, branch))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool InsideNestedFunction(IOperation operation, IOperation root)
        {
            for (var current = operation.Parent; current != null && current != root; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private static void AddMembers(IOperation condition, INamedTypeSymbol type, ImmutableHashSet<ISymbol>.Builder members)
        {
            foreach (var operation in condition.DescendantsAndSelf())
            {
                if (operation is IMemberReferenceOperation member
                    && member is IFieldReferenceOperation or IPropertyReferenceOperation
                    && !member.Member.IsStatic
                    && IsInHierarchy(member.Member.ContainingType, type))
                {
                    members.Add(member.Member.OriginalDefinition);
                }
            }
        }

        private static DisposeUse Classify(ISymbol variable, IOperation reference, INamedTypeSymbol type)
        {
            var current = reference;
            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = current.Parent;
            }

            switch (parent)
            {
                case IInvocationOperation call when call.Instance == current:
                    return new DisposeUse(variable, IsDispose(call) ? DisposeUseKind.Dispose : DisposeUseKind.Harmless);
                case IMemberReferenceOperation access when access.Instance == current:
                    return new DisposeUse(variable, DisposeUseKind.Harmless);
                case IConditionalAccessOperation conditional when conditional.Operation == current:
                    return new DisposeUse(variable, conditional.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } whenNotNull && IsDispose(whenNotNull)
                        ? DisposeUseKind.Dispose
                        : DisposeUseKind.Harmless);
                case ISimpleAssignmentOperation assignment when assignment.Target == current:
                    return new DisposeUse(variable, DisposeUseKind.Write, IsCreation(assignment.Value));
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == current:
                    return new DisposeUse(variable, DisposeUseKind.Write, IsCreation(coalesce.Value));
                case ISimpleAssignmentOperation assignment when assignment.Value == current && !assignment.IsRef:
                    return new DisposeUse(variable, assignment.Target is ILocalReferenceOperation ? DisposeUseKind.LocalCopy : DisposeUseKind.Escape);
                case IVariableInitializerOperation:
                    return new DisposeUse(variable, DisposeUseKind.LocalCopy);
                case IBinaryOperation or IIsPatternOperation or IIsTypeOperation or IExpressionStatementOperation:
                    return new DisposeUse(variable, DisposeUseKind.Harmless);
                case IArgumentOperation argument when argument.Parameter is { RefKind: RefKind.None } parameter
                    && argument.Parent is IInvocationOperation helperCall
                    && IsInHierarchy(helperCall.TargetMethod.ContainingType, type):
                    return new DisposeUse(variable, DisposeUseKind.HelperArgument, helper: helperCall.TargetMethod.OriginalDefinition, ordinal: parameter.Ordinal);
                default:
                    return new DisposeUse(variable, DisposeUseKind.Escape);
            }
        }

        private static bool IsDispose(IInvocationOperation call) =>
            call.TargetMethod.Name == "Dispose" && call.TargetMethod.Parameters.Length == 0 && !call.TargetMethod.IsStatic;

        private static bool IsCreation(IOperation? value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            return value is IObjectCreationOperation;
        }

        private static bool IsWriteTarget(IOperation reference)
        {
            switch (reference.Parent)
            {
                case IAssignmentOperation assignment when assignment.Target == reference:
                case IIncrementOrDecrementOperation increment when increment.Target == reference:
                    return true;
                default:
                    return false;
            }
        }

        public static bool IsInHierarchy(INamedTypeSymbol? candidate, INamedTypeSymbol type)
        {
            if (candidate is null)
            {
                return false;
            }

            var original = candidate.OriginalDefinition;
            for (var current = type.OriginalDefinition; current != null; current = current.BaseType?.OriginalDefinition)
            {
                if (SymbolEqualityComparer.Default.Equals(current, original))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
