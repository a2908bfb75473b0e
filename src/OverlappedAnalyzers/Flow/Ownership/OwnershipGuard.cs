using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>
    /// A branch condition that tells whether a tracked holder is empty: <c>h.IsAllocated</c>, <c>p == IntPtr.Zero</c>,
    /// <c>p != null</c> (negations included). The dataflow clears the holder on the branch where it holds nothing, so a
    /// lazy allocation (<c>if (p == IntPtr.Zero) p = Alloc(...)</c>) does not overwrite anything.
    /// </summary>
    internal readonly struct OwnershipGuard
    {
        private const int MaxNegations = 32;

        public OwnershipGuard(int key, bool clearWhenTrue)
        {
            Key = key;
            ClearWhenTrue = clearWhenTrue;
        }

        /// <summary>The holder tested (an index into <see cref="OwnershipEffects.Keys"/>).</summary>
        public int Key { get; }

        /// <summary>The holder holds nothing when the condition is true (false: when it is false).</summary>
        public bool ClearWhenTrue { get; }

        /// <summary>Reads <paramref name="condition"/> as an emptiness test of one of the holders in <paramref name="keys"/>.</summary>
        public static bool TryRead(IOperation condition, ReceiverResolver resolver, IReadOnlyDictionary<ReceiverKey, int> keys, out OwnershipGuard guard)
        {
            guard = default;
            var clearWhenTrue = false;
            var negate = false;
            var current = resolver.Unwrap(condition);
            for (var depth = 0; depth < MaxNegations && current is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; depth++)
            {
                negate = !negate;
                current = resolver.Unwrap(not.Operand);
            }

            IOperation? holder = null;
            switch (current)
            {
                case IPropertyReferenceOperation { Property.Name: "IsAllocated", Instance: { } instance }:
                    holder = instance;
                    clearWhenTrue = negate;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    if (IsZero(binary.RightOperand, resolver))
                    {
                        holder = binary.LeftOperand;
                    }
                    else if (IsZero(binary.LeftOperand, resolver))
                    {
                        holder = binary.RightOperand;
                    }

                    clearWhenTrue = (binary.OperatorKind == BinaryOperatorKind.Equals) != negate;
                    break;
            }

            var resolved = holder is null ? null : resolver.Resolve(holder);
            if (resolved is null || !keys.TryGetValue(resolved, out var key))
            {
                return false;
            }

            guard = new OwnershipGuard(key, clearWhenTrue);
            return true;
        }

        private static bool IsZero(IOperation operand, ReceiverResolver resolver)
        {
            var value = resolver.Unwrap(operand);
            switch (value)
            {
                case IFieldReferenceOperation { Field.Name: "Zero", Field.ContainingType.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                case IDefaultValueOperation:
                    return true;
            }

            var constant = value?.ConstantValue ?? default;
            return constant.HasValue && (constant.Value is null || (constant.Value is int i && i == 0) || (constant.Value is long l && l == 0));
        }
    }
}
