using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using OverlappedAnalyzers.Flow.Engine;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Recognises a branch on an I/O call's own result — <c>!ReadFile(...)</c>, <c>ok == 0</c>, <c>== false</c>,
    /// <c>rc == SOCKET_ERROR</c>, <c>rc != 0</c>, <c>== SocketError.SocketError</c>, <c>is not 0</c> — directly or through
    /// the local the result was stored in. The result never says whether the error is ERROR_IO_PENDING: only which way
    /// the call went (FALSE = failed or pending).
    /// </summary>
    internal static class ResultTests
    {
        private const int MaxDepth = 16;

        public static (IoOutcome WhenTrue, IoOutcome WhenFalse) Evaluate(IOperation? condition, IoSite site, CaptureMap captures, int depth = 0)
        {
            condition = captures.Unwrap(condition);
            if (condition is null || depth > MaxDepth)
            {
                return (IoOutcome.None, IoOutcome.None);
            }

            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    var inner = Evaluate(not.Operand, site, captures, depth + 1);
                    return (inner.WhenFalse, inner.WhenTrue);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    var equality = Compare(binary.LeftOperand, binary.RightOperand, site, captures);
                    if (equality.OnMatch == IoOutcome.None)
                    {
                        equality = Compare(binary.RightOperand, binary.LeftOperand, site, captures);
                    }

                    return binary.OperatorKind == BinaryOperatorKind.Equals ? equality : (equality.OnNoMatch, equality.OnMatch);

                case IIsPatternOperation isPattern:
                    return Pattern(isPattern.Value, isPattern.Pattern, site, captures, depth + 1);

                default:
                    return IsResult(condition, site, captures) && condition.Type?.SpecialType == SpecialType.System_Boolean
                        ? (IoOutcome.Succeeded, IoOutcome.FailedOrPending)
                        : (IoOutcome.None, IoOutcome.None);
            }
        }

        private static (IoOutcome, IoOutcome) Pattern(IOperation value, IPatternOperation pattern, IoSite site, CaptureMap captures, int depth)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return Compare(value, constant.Value, site, captures);
                case INegatedPatternOperation negated when depth <= MaxDepth:
                    var inner = Pattern(value, negated.Pattern, site, captures, depth + 1);
                    return (inner.Item2, inner.Item1);
                default:
                    return (IoOutcome.None, IoOutcome.None);
            }
        }

        /// <summary>What <c>value == constant</c> being true (match) or false says, when value is the site's result.</summary>
        private static (IoOutcome OnMatch, IoOutcome OnNoMatch) Compare(IOperation value, IOperation constantOperand, IoSite site, CaptureMap captures)
        {
            if (!IsResult(value, site, captures) || captures.Unwrap(constantOperand)?.ConstantValue is not { HasValue: true, Value: { } constant })
            {
                return (IoOutcome.None, IoOutcome.None);
            }

            var resultType = captures.Unwrap(value)?.Type;
            long number;
            switch (constant)
            {
                case bool flag:
                    return flag ? (IoOutcome.Succeeded, IoOutcome.FailedOrPending) : (IoOutcome.FailedOrPending, IoOutcome.Succeeded);
                case int i: number = i; break;
                case uint u: number = u; break;
                case long l: number = l; break;
                default: return (IoOutcome.None, IoOutcome.None);
            }

            // A result typed SocketError, or a Winsock int: 0 is success, SOCKET_ERROR (-1) is "failed or pending".
            if (resultType?.TypeKind == TypeKind.Enum || site.Convention == IoResultConvention.SocketErrorInt)
            {
                return number switch
                {
                    0 => (IoOutcome.Succeeded, IoOutcome.FailedOrPending),
                    -1 => (IoOutcome.FailedOrPending, IoOutcome.Succeeded),
                    _ => (IoOutcome.None, IoOutcome.None),
                };
            }

            // BOOL in an integer: 0 is FALSE, anything else TRUE.
            return number == 0 ? (IoOutcome.FailedOrPending, IoOutcome.Succeeded) : (IoOutcome.Succeeded, IoOutcome.FailedOrPending);
        }

        private static bool IsResult(IOperation? value, IoSite site, CaptureMap captures)
        {
            value = captures.Unwrap(value);
            return ReferenceEquals(value, site.Call)
                || (value is ILocalReferenceOperation local && site.ResultLocal != null && SymbolEqualityComparer.Default.Equals(local.Local, site.ResultLocal));
        }
    }
}
