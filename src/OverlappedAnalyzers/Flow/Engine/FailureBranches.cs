using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Recognises the branches that establish a synchronous failure: the outcome of comparing an error
    /// value with a constant equal to ERROR_IO_PENDING (997) that means "not pending", or its equality with another specific
    /// error code. Which values are error values is decided by <see cref="ErrorValues"/> (by origin, not type); the I/O call's
    /// own result (<see cref="CallResult"/>) tells only its success, never "not pending". Control-flow lowering
    /// turns <c>!=</c>, <c>==</c>/else, <c>is not</c>, <c>&amp;&amp;</c>/<c>||</c>, switch sections and switch
    /// expressions into conditional branches, so one recogniser of the branch value covers every syntax form.
    /// </summary>
    internal static class FailureBranches
    {
        /// <summary>ERROR_IO_PENDING, WSA_IO_PENDING and SocketError.IOPending all have this value.</summary>
        public const long IoPending = 997;

        /// <summary>SocketError.SocketError: "the call failed, ask GetLastError", which may still be pending.</summary>
        private const long SocketErrorSentinel = -1;

        /// <summary>
        /// ERROR_MORE_DATA and WSAEMSGSIZE (SocketError.MessageSize) report a warning status (STATUS_BUFFER_OVERFLOW): the
        /// call transferred data and the I/O manager still queues its completion, so they establish no synchronous failure.
        /// </summary>
        private const long ErrorMoreData = 234;

        private const long MessageTooLong = 10040;

        /// <summary>What the branch value being true, and being false, says about the error.</summary>
        public static (ErrorKnowledge WhenTrue, ErrorKnowledge WhenFalse) Evaluate(IOperation? condition, CaptureMap captures, int depth = 0)
        {
            condition = captures.Unwrap(condition);
            if (condition is null || depth > 32)
            {
                return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }

            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    var inner = Evaluate(not.Operand, captures, depth + 1);
                    return (inner.WhenFalse, inner.WhenTrue);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when TryGetBoolConstant(binary.RightOperand, out var expected) || TryGetBoolConstant(binary.LeftOperand, out expected):
                    // "ok == false", "DeviceIoControl(...) != true": the other operand, possibly inverted.
                    var other = Evaluate(binary.RightOperand.ConstantValue.HasValue ? binary.LeftOperand : binary.RightOperand, captures, depth + 1);
                    return expected == (binary.OperatorKind == BinaryOperatorKind.Equals) ? other : (other.WhenFalse, other.WhenTrue);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    if (!TryGetComparison(binary.LeftOperand, binary.RightOperand, captures, out var value, out var constant)
                        && !TryGetComparison(binary.RightOperand, binary.LeftOperand, captures, out value, out constant))
                    {
                        return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
                    }

                    var equality = ConstantPattern(value!, constant, captures);
                    return binary.OperatorKind == BinaryOperatorKind.Equals ? equality : (equality.OnNoMatch, equality.OnMatch);

                case IIsPatternOperation boolPattern when boolPattern.Value.Type?.SpecialType == SpecialType.System_Boolean
                    && TryGetBoolPattern(boolPattern.Pattern, out var matchesTrue):
                    // "ok is false", "DeviceIoControl(...) is not true": the value itself, possibly inverted.
                    var tested = Evaluate(boolPattern.Value, captures, depth + 1);
                    return matchesTrue ? tested : (tested.WhenFalse, tested.WhenTrue);

                case IIsPatternOperation isPattern when IsErrorCandidate(isPattern.Value, captures):
                    return Pattern(isPattern.Pattern, captures.Unwrap(isPattern.Value)!, captures, depth + 1);

                case IInvocationOperation or ILocalReferenceOperation when condition.Type?.SpecialType == SpecialType.System_Boolean
                    && captures.ErrorValues.CallResultOf(condition) == CallResult.TrueOnSuccess:
                    // "if (ReadFile(...))", "if (ok)": TRUE is the call's success; FALSE says nothing about the error.
                    return (ErrorKnowledge.Success, ErrorKnowledge.Unknown);

                default:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }
        }

        private static (ErrorKnowledge OnMatch, ErrorKnowledge OnNoMatch) Pattern(IPatternOperation pattern, IOperation value, CaptureMap captures, int depth)
        {
            if (depth > 32)
            {
                return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }

            switch (pattern)
            {
                case IConstantPatternOperation constantPattern when TryGetConstant(constantPattern.Value, out var constant):
                    return ConstantPattern(value, constant, captures);

                case INegatedPatternOperation negated:
                    var inner = Pattern(negated.Pattern, value, captures, depth + 1);
                    return (inner.OnNoMatch, inner.OnMatch);

                case IBinaryPatternOperation binary:
                    var left = Pattern(binary.LeftPattern, value, captures, depth + 1);
                    var right = Pattern(binary.RightPattern, value, captures, depth + 1);
                    return binary.OperatorKind == BinaryOperatorKind.And
                        ? (Both(left.OnMatch, right.OnMatch), Either(left.OnNoMatch, right.OnNoMatch))
                        : (Either(left.OnMatch, right.OnMatch), Both(left.OnNoMatch, right.OnNoMatch));

                default:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }
        }

        /// <summary>Knowledge from <c>value == constant</c> being true (match) or false (no match).</summary>
        private static (ErrorKnowledge OnMatch, ErrorKnowledge OnNoMatch) ConstantPattern(IOperation value, long constant, CaptureMap captures)
        {
            if (constant == IoPending)
            {
                // Comparing with 997 is the question "is it pending?": whatever is compared is treated as the error.
                return (ErrorKnowledge.Pending, ErrorKnowledge.NotPending);
            }

            // Every other constant says something only about an error value. The I/O call's own result says nothing in
            // either direction: ReadFile's BOOL kept in an int is 0 for "failed or pending", a WSA call's -1 means "ask
            // WSAGetLastError", and "count == 16" means nothing at all.
            if (!captures.ErrorValues.IsErrorValue(value))
            {
                return CallResultPattern(captures.ErrorValues.CallResultOf(value), constant);
            }

            if (constant == 0)
            {
                return (ErrorKnowledge.Success, ErrorKnowledge.Unknown);
            }

            if (constant is SocketErrorSentinel or ErrorMoreData or MessageTooLong)
            {
                return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }

            // A specific code (WSAECONNRESET, ERROR_NETNAME_DELETED, SocketError.ConnectionReset) is not 997: the request
            // never reached the driver — in an if as in a switch section.
            return (ErrorKnowledge.NotPending, ErrorKnowledge.Unknown);
        }

        /// <summary>
        /// <c>result == constant</c> on the I/O call's own result: its success side is a success path (an error read before
        /// it is stale, the completion arrives through the port); its failure side is "failed or pending" — nothing.
        /// </summary>
        private static (ErrorKnowledge OnMatch, ErrorKnowledge OnNoMatch) CallResultPattern(CallResult convention, long constant)
        {
            switch (convention)
            {
                case CallResult.TrueOnSuccess when constant == 0:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Success);
                case CallResult.ZeroOnSuccess when constant == 0:
                    return (ErrorKnowledge.Success, ErrorKnowledge.Unknown);
                case CallResult.ZeroOnSuccess when constant == SocketErrorSentinel:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Success);
                default:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }
        }

        /// <summary>Both facts hold (pattern "and" matched, or "or" failed to match).</summary>
        private static ErrorKnowledge Both(ErrorKnowledge left, ErrorKnowledge right)
        {
            if (left == ErrorKnowledge.NotPending || right == ErrorKnowledge.NotPending)
            {
                return ErrorKnowledge.NotPending;
            }

            if (left == ErrorKnowledge.Pending || right == ErrorKnowledge.Pending)
            {
                return ErrorKnowledge.Pending;
            }

            return left == ErrorKnowledge.Success || right == ErrorKnowledge.Success ? ErrorKnowledge.Success : ErrorKnowledge.Unknown;
        }

        /// <summary>At least one fact holds (pattern "or" matched, or "and" failed to match).</summary>
        private static ErrorKnowledge Either(ErrorKnowledge left, ErrorKnowledge right)
        {
            // "Not pending or success" could be either outcome: only agreement is knowledge.
            return left == right ? left : ErrorKnowledge.Unknown;
        }

        private static bool TryGetComparison(IOperation candidateValue, IOperation candidateConstant, CaptureMap captures, out IOperation? value, out long constant)
        {
            value = null;
            constant = 0;
            if (!TryGetConstant(candidateConstant, out constant) || candidateValue.ConstantValue.HasValue || !IsErrorCandidate(candidateValue, captures))
            {
                return false;
            }

            value = captures.Unwrap(candidateValue);
            return value != null;
        }

        /// <summary>An error code is an integer or an enum (SocketError, a Win32 error enum); never a bool or a reference.</summary>
        private static bool IsErrorCandidate(IOperation operation, CaptureMap captures)
        {
            var type = captures.Unwrap(operation)?.Type ?? operation.Type;
            if (type is null)
            {
                return false;
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                return true;
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary><c>is true</c>, <c>is not false</c>...: whether the pattern matches the value true.</summary>
        private static bool TryGetBoolPattern(IPatternOperation pattern, out bool matchesTrue)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constantPattern when TryGetBoolConstant(constantPattern.Value, out var constant):
                    matchesTrue = constant;
                    return true;
                case INegatedPatternOperation { Pattern: IConstantPatternOperation inner } when TryGetBoolConstant(inner.Value, out var negated):
                    matchesTrue = !negated;
                    return true;
                default:
                    matchesTrue = false;
                    return false;
            }
        }

        private static bool TryGetBoolConstant(IOperation operation, out bool value)
        {
            value = operation.ConstantValue is { HasValue: true, Value: true };
            return operation.ConstantValue is { HasValue: true, Value: bool };
        }

        private static bool TryGetConstant(IOperation operation, out long value)
        {
            value = 0;
            var constant = operation.ConstantValue;
            if (!constant.HasValue || constant.Value is null)
            {
                return false;
            }

            switch (constant.Value)
            {
                case int i: value = i; return true;
                case uint u: value = u; return true;
                case long l: value = l; return true;
                case ulong ul when ul <= long.MaxValue: value = (long)ul; return true;
                case short s: value = s; return true;
                case ushort us: value = us; return true;
                default: return false;
            }
        }
    }
}
