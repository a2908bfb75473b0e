using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.UseAfterFree
{
    /// <summary>
    /// What one operation does to pointers and handles, apart from the path question: frees (and what), uses (and
    /// how), and writes that give a variable a new value. Comparisons (<c>p != null</c>, <c>h.IsAllocated</c>) and
    /// hand-offs to source helpers are neither: they do not touch the memory.
    /// </summary>
    internal sealed class FreedUseClassifier
    {
        private readonly ReleaseCalls releases;
        private readonly StableAliasResolver resolver;

        public FreedUseClassifier(ReleaseCalls releases, StableAliasResolver resolver)
        {
            this.releases = releases;
            this.resolver = resolver;
        }

        public StableAliasResolver Resolver => resolver;

        /// <summary>The key a release call frees, or null when <paramref name="operation"/> is not one (or frees something unnamed).</summary>
        public ReceiverKey? FreedBy(IOperation operation) =>
            operation is IInvocationOperation call && releases.IsRelease(call, out var operand) ? resolver.Resolve(operand) : null;

        /// <summary>The variable, field or chain an assignment (or a ref/out argument) gives a new value.</summary>
        public ReceiverKey? Rewritten(IOperation operation)
        {
            var target = operation switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                ICompoundAssignmentOperation compound => compound.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byRef => byRef.Value,
                _ => null,
            };

            if (target is null)
            {
                return null;
            }

            // A write to a copy changes the copy, not what it was copied from.
            return resolver.Unwrap(target) is ILocalReferenceOperation local ? ReceiverKey.ForVariable(local.Local) : resolver.Resolve(target);
        }

        /// <summary>The uses <paramref name="operation"/> makes of pointers and handles (a release call is a possible second free).</summary>
        public IEnumerable<FreedUse> Uses(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation call:
                    if (releases.IsRelease(call, out var freed) && resolver.Resolve(freed) is { } freedKey)
                    {
                        yield return new FreedUse(FreedUseKind.SecondFree, call, freedKey, call.TargetMethod.Name);
                        yield break;
                    }

                    if (releases.IsHandleRead(call.TargetMethod) && resolver.Resolve(call.Instance) is { } handle)
                    {
                        yield return new FreedUse(FreedUseKind.Read, call, handle, call.TargetMethod.Name);
                    }

                    var native = NativeEntryPoints.IsNativeOrDelegate(call.TargetMethod);
                    foreach (var argument in call.Arguments)
                    {
                        if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out || !IsPointerOrHandle(argument.Value))
                        {
                            continue;
                        }

                        if (resolver.Resolve(argument.Value) is not { } key)
                        {
                            continue;
                        }

                        if (native)
                        {
                            yield return new FreedUse(FreedUseKind.LentToNative, call, key, CalleeName(call));
                        }
                        else if (releases.ReadsThrough(call.TargetMethod, argument.Parameter))
                        {
                            yield return new FreedUse(FreedUseKind.Read, call, key, call.TargetMethod.Name);
                        }
                    }

                    break;

                case IObjectCreationOperation { Constructor: { } constructor } creation when releases.Allocations.IsSpanOver(constructor):
                    foreach (var argument in creation.Arguments)
                    {
                        if (IsPointerOrHandle(argument.Value) && resolver.Resolve(argument.Value) is { } spanned)
                        {
                            yield return new FreedUse(FreedUseKind.Read, creation, spanned, constructor.ContainingType.Name);
                        }
                    }

                    break;

                case IPropertyReferenceOperation property when releases.IsHandleRead(property.Property) && resolver.Resolve(property.Instance) is { } target:
                    yield return new FreedUse(FreedUseKind.Read, property, target, property.Property.Name);
                    break;

                // Pointer indirection, pointer element access and the receiver of p->X have no IOperation of their own:
                // they surface as a None operation whose only child is the pointer.
                case { Kind: OperationKind.None } indirection when IsDereferenceOfChild(indirection, out var pointer) && resolver.Resolve(pointer) is { } dereferenced:
                    // p->X is reported on the whole member access, not on the bare p Roslyn gives the indirection.
                    var whole = indirection.Parent is IMemberReferenceOperation member && ReferenceEquals(member.Instance, indirection) ? member : indirection;
                    yield return new FreedUse(FreedUseKind.Dereference, whole, dereferenced, null);
                    break;
            }
        }

        private static bool IsDereferenceOfChild(IOperation indirection, out IOperation? pointer)
        {
            pointer = null;
            foreach (var child in indirection.ChildOperations)
            {
                pointer = child;
                break;
            }

            if (pointer?.Type?.TypeKind != TypeKind.Pointer)
            {
                return false;
            }

            return indirection.Syntax.IsKind(SyntaxKind.PointerIndirectionExpression)
                || indirection.Syntax is ElementAccessExpressionSyntax
                || indirection.Parent is IMemberReferenceOperation member && ReferenceEquals(member.Instance, indirection);
        }

        private bool IsPointerOrHandle(IOperation value)
        {
            var type = resolver.Unwrap(value)?.Type;
            return type != null
                && (type.TypeKind == TypeKind.Pointer
                    || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr
                    || releases.Allocations.IsHolderType(type));
        }

        private static string CalleeName(IInvocationOperation call) =>
            call.TargetMethod.MethodKind == MethodKind.DelegateInvoke
                ? (call.Instance is { } instance ? instance.Syntax.ToString() : call.TargetMethod.ContainingType.Name)
                : call.TargetMethod.Name;
    }
}
