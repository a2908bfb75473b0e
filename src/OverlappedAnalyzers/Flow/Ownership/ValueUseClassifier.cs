using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// "How is this value used": walks up from a reference to a handle or pointer through the operations that
    /// only reshape it (conversions, pointer arithmetic, <c>IntPtr.Add</c>, <c>ToPointer</c>, <c>new IntPtr(p)</c>,
    /// <c>GCHandle.ToIntPtr/FromIntPtr</c>) to the operation that decides its fate. Framework readers and writers
    /// (<c>Marshal.Copy</c>, <c>PtrToStructure</c>, <c>new Span&lt;T&gt;(p, n)</c>, ...) leave ownership alone; a by-value
    /// argument of a P/Invoke, delegate or function pointer not named as a release is lent, and so is one of a method
    /// of the compilation whose body only reads through it (<see cref="SourceLenders"/>); <see cref="LentValues"/>
    /// decides whether it came back. Anything else is an escape — precision first: a value that escaped is somebody
    /// else's to free.
    /// </summary>
    internal sealed class ValueUseClassifier
    {
        private const int MaxWalkDepth = 32;

        private static readonly string[] ReleaseWords = { "Free", "Release", "Close", "Destroy", "Delete", "Dispose", "SetHandle" };

        private readonly NativeAllocations allocations;
        private readonly Func<IParameterSymbol, bool>? lendsParameter;

        /// <param name="allocations">The allocators, frees and framework readers.</param>
        /// <param name="lendsParameter">Whether a parameter of a method of the compilation only lends what it is given (<see cref="SourceLenders"/>); null: such calls are escapes.</param>
        public ValueUseClassifier(NativeAllocations allocations, Func<IParameterSymbol, bool>? lendsParameter)
        {
            this.allocations = allocations;
            this.lendsParameter = lendsParameter;
        }

        /// <summary>
        /// Classifies <paramref name="operation"/>; for a store, <paramref name="target"/> is what is assigned and
        /// <paramref name="store"/> the assignment. <paramref name="block"/> is null when <paramref name="operation"/> is
        /// read from an operation tree, not a graph (a reference at the root is then an escape).
        /// </summary>
        public ValueUse Classify(IOperation operation, BasicBlock? block, out IOperation? target, out IOperation? store)
        {
            target = null;
            store = null;
            var current = operation;
            for (var depth = 0; depth < MaxWalkDepth; depth++)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case null:
                        if (block is null)
                        {
                            return ValueUse.Escape;
                        }

                        if (ReferenceEquals(current, block.BranchValue) && block.ConditionalSuccessor is null)
                        {
                            // Returned (or thrown inside an exception object): the caller owns it now.
                            return block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Return or ControlFlowBranchSemantics.Throw ? ValueUse.Escape : ValueUse.None;
                        }

                        return ValueUse.None;

                    case IConversionOperation:
                    case IParenthesizedOperation:
                        current = parent;
                        continue;

                    case IBinaryOperation binary:
                        if (binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && IsPointerLike(binary.Type))
                        {
                            current = parent;
                            continue;
                        }

                        return ValueUse.None;

                    case IInvocationOperation call when ReferenceEquals(call.Instance, current):
                        if (allocations.IsFree(call, out _))
                        {
                            return ValueUse.Free;
                        }

                        if (call.TargetMethod.Name == "ToPointer" && IsPointerLike(call.Instance.Type))
                        {
                            current = parent;
                            continue;
                        }

                        return ValueUse.None;

                    case IMemberReferenceOperation member when ReferenceEquals(member.Instance, current):
                        return ValueUse.None;

                    case IArgumentOperation argument:
                        if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                        {
                            return ValueUse.Escape;
                        }

                        switch (argument.Parent)
                        {
                            case IInvocationOperation call:
                                if (allocations.IsFree(call, out var freed) && ReferenceEquals(freed, current))
                                {
                                    return ValueUse.Free;
                                }

                                if (allocations.IsHandleConversion(call.TargetMethod))
                                {
                                    current = call;
                                    continue;
                                }

                                if (allocations.IsAccessOnly(call.TargetMethod, argument.Parameter))
                                {
                                    return ValueUse.None;
                                }

                                if (allocations.IsPointerArithmetic(call.TargetMethod))
                                {
                                    current = call;
                                    continue;
                                }

                                // Lent, not given: native code reads or writes through it for the call; anything else may keep it.
                                if (IsNativeCall(call.TargetMethod) && !IsNamedAsRelease(call.TargetMethod))
                                {
                                    return ValueUse.Lend;
                                }

                                return LendsTo(argument) ? ValueUse.Lend : ValueUse.Escape;

                            case IFunctionPointerInvocationOperation:
                                return ValueUse.Lend;

                            case IObjectCreationOperation creation:
                                if (IsPointerLike(creation.Type))
                                {
                                    current = creation;
                                    continue;
                                }

                                if (creation.Constructor != null && allocations.IsSpanOver(creation.Constructor))
                                {
                                    return ValueUse.None;
                                }

                                return LendsTo(argument) ? ValueUse.Lend : ValueUse.Escape;

                            default:
                                return ValueUse.Escape;
                        }

                    case ISimpleAssignmentOperation assignment:
                        if (ReferenceEquals(assignment.Target, current))
                        {
                            return ValueUse.AssignTarget;
                        }

                        if (assignment.IsRef)
                        {
                            return ValueUse.Escape;
                        }

                        target = assignment.Target;
                        store = assignment;
                        return assignment.Target switch
                        {
                            ILocalReferenceOperation => ValueUse.StoreLocal,
                            IDiscardOperation => ValueUse.None,
                            IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 } => ValueUse.StoreMember,
                            _ => ValueUse.Escape,
                        };

                    case IFlowCaptureOperation:
                        return ValueUse.Ignore;

                    case IIsNullOperation:
                    case IIsPatternOperation:
                    case IIsTypeOperation:
                    case IExpressionStatementOperation:
                        return ValueUse.None;

                    default:
                        return ValueUse.Escape;
                }
            }

            return ValueUse.Escape;
        }

        /// <summary>A by-value argument of a method or constructor of the compilation that only reads through it.</summary>
        private bool LendsTo(IArgumentOperation argument) =>
            lendsParameter != null && argument.Parameter != null && lendsParameter(argument.Parameter);

        /// <summary>A P/Invoke (<c>DllImport</c>, <c>LibraryImport</c>, <c>extern</c>) or a delegate's Invoke: code that cannot keep a managed owner's value.</summary>
        private static bool IsNativeCall(IMethodSymbol method) =>
            method.IsExtern
            || method.MethodKind == MethodKind.DelegateInvoke
            || method.GetDllImportData() != null
            || method.GetAttributes().Any(a => a.AttributeClass?.Name == "LibraryImportAttribute");

        /// <summary><c>LocalFree</c>, <c>CloseHandle</c>, <c>ReleaseBuffer</c>, a <c>FreeCallback</c> delegate: the callee takes the value over to release it.</summary>
        private static bool IsNamedAsRelease(IMethodSymbol method)
        {
            var name = method.MethodKind == MethodKind.DelegateInvoke ? method.ContainingType.Name : method.Name;
            foreach (var word in ReleaseWords)
            {
                if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="operation"/> is (part of) the value <paramref name="block"/> returns.</summary>
        public static bool IsReturned(IOperation operation, BasicBlock block)
        {
            var current = operation;
            for (var depth = 0; depth < MaxWalkDepth && current.Parent != null; depth++)
            {
                current = current.Parent;
            }

            return ReferenceEquals(current, block.BranchValue) && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return;
        }

        public static bool IsPointerLike(ITypeSymbol? type) =>
            type != null && (type.TypeKind == TypeKind.Pointer || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr);
    }
}
