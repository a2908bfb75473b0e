using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Recognises the branches that establish a synchronous failure: the outcome of comparing an error
    /// value with a constant equal to ERROR_IO_PENDING (997) that means "not pending". Control-flow lowering
    /// turns <c>!=</c>, <c>==</c>/else, <c>is not</c>, <c>&amp;&amp;</c>/<c>||</c>, switch sections and switch
    /// expressions into conditional branches, so one recogniser of the branch value covers every syntax form.
    /// </summary>
    internal static class FailureBranches
    {
        /// <summary>ERROR_IO_PENDING, WSA_IO_PENDING and SocketError.IOPending all have this value.</summary>
        public const long IoPending = 997;

        /// <summary>SocketError.SocketError: "the call failed, ask GetLastError", which may still be pending.</summary>
        private const long SocketErrorSentinel = -1;

        /// <summary>What the branch value being true, and being false, says about the error.</summary>
        public static (ErrorKnowledge WhenTrue, ErrorKnowledge WhenFalse) Evaluate(IOperation? condition, CaptureMap captures, int depth = 0)
        {
            condition = Unwrap(condition, captures);
            if (condition is null || depth > 32)
            {
                return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }

            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    var inner = Evaluate(not.Operand, captures, depth + 1);
                    return (inner.WhenFalse, inner.WhenTrue);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    if (!TryGetComparison(binary.LeftOperand, binary.RightOperand, captures, out var value, out var constant)
                        && !TryGetComparison(binary.RightOperand, binary.LeftOperand, captures, out value, out constant))
                    {
                        return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
                    }

                    var equality = ConstantPattern(value!, constant, binary.Syntax.Parent is CaseSwitchLabelSyntax);
                    return binary.OperatorKind == BinaryOperatorKind.Equals ? equality : (equality.OnNoMatch, equality.OnMatch);

                case IIsPatternOperation isPattern when IsErrorCandidate(isPattern.Value, captures):
                    return Pattern(isPattern.Pattern, Unwrap(isPattern.Value, captures)!, depth + 1);

                default:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }
        }

        private static (ErrorKnowledge OnMatch, ErrorKnowledge OnNoMatch) Pattern(IPatternOperation pattern, IOperation value, int depth)
        {
            if (depth > 32)
            {
                return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }

            switch (pattern)
            {
                case IConstantPatternOperation constantPattern when TryGetConstant(constantPattern.Value, out var constant):
                    return ConstantPattern(value, constant, constantPattern.Syntax.Parent is CasePatternSwitchLabelSyntax or SwitchExpressionArmSyntax);

                case INegatedPatternOperation negated:
                    var inner = Pattern(negated.Pattern, value, depth + 1);
                    return (inner.OnNoMatch, inner.OnMatch);

                case IBinaryPatternOperation binary:
                    var left = Pattern(binary.LeftPattern, value, depth + 1);
                    var right = Pattern(binary.RightPattern, value, depth + 1);
                    return binary.OperatorKind == BinaryOperatorKind.And
                        ? (Both(left.OnMatch, right.OnMatch), Either(left.OnNoMatch, right.OnNoMatch))
                        : (Either(left.OnMatch, right.OnMatch), Both(left.OnNoMatch, right.OnNoMatch));

                default:
                    return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
            }
        }

        /// <summary>Knowledge from <c>value == constant</c> being true (match) or false (no match).</summary>
        private static (ErrorKnowledge OnMatch, ErrorKnowledge OnNoMatch) ConstantPattern(IOperation value, long constant, bool inSwitchSection = false)
        {
            if (constant == IoPending)
            {
                return (ErrorKnowledge.Pending, ErrorKnowledge.NotPending);
            }

            if (constant == 0)
            {
                return (ErrorKnowledge.Success, ErrorKnowledge.Unknown);
            }

            // Equality with another specific error code excludes 997 too (a switch section such as
            // "case SocketError.ConnectionReset:"), but only when the value is known to be an error code:
            // for a plain int, "ret == -1" means "ask GetLastError", not "failed", and "count == 16" means nothing at all.
            // An int is an error code when it comes straight from GetLastError and friends and a switch sorts it into
            // sections ("int e = Marshal.GetLastWin32Error(); switch (e) { case 10054: ... }"). An if on such an int
            // ("if (hr == ERROR_ACCESS_DENIED) { cleanup = true; break; }") often sets a flag a later free depends on,
            // which this path-insensitive analysis cannot correlate: there, stay silent.
            if (constant != SocketErrorSentinel && (IsSocketError(value.Type) || (inSwitchSection && IsLastErrorValue(value))))
            {
                return (ErrorKnowledge.NotPending, ErrorKnowledge.Unknown);
            }

            return (ErrorKnowledge.Unknown, ErrorKnowledge.Unknown);
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

            value = Unwrap(candidateValue, captures);
            return value != null;
        }

        /// <summary>An error code is an integer or an enum (SocketError, a Win32 error enum); never a bool or a reference.</summary>
        private static bool IsErrorCandidate(IOperation operation, CaptureMap captures)
        {
            var type = Unwrap(operation, captures)?.Type ?? operation.Type;
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

        /// <summary>
        /// <c>Marshal.GetLastWin32Error()</c>, <c>GetLastPInvokeError()</c>, <c>GetLastSystemError()</c>, a P/Invoke
        /// <c>GetLastError()</c>/<c>WSAGetLastError()</c>, or a local initialized from one of them.
        /// </summary>
        private static bool IsLastErrorValue(IOperation value)
        {
            switch (value)
            {
                case IInvocationOperation call:
                    return IsLastErrorName(call.TargetMethod.Name);

                case ILocalReferenceOperation local:
                    foreach (var reference in local.Local.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                            && StripCasts(initializer) is InvocationExpressionSyntax invocation
                            && IsLastErrorName(invocation.Expression switch
                            {
                                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                                IdentifierNameSyntax name => name.Identifier.ValueText,
                                _ => string.Empty,
                            }))
                        {
                            return true;
                        }
                    }

                    return false;

                default:
                    return false;
            }
        }

        private static ExpressionSyntax StripCasts(ExpressionSyntax expression)
        {
            while (expression is CastExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                expression = expression is CastExpressionSyntax cast ? cast.Expression : ((ParenthesizedExpressionSyntax)expression).Expression;
            }

            return expression;
        }

        private static bool IsLastErrorName(string name) =>
            name.EndsWith("LastError", StringComparison.Ordinal)
            || name.EndsWith("LastWin32Error", StringComparison.Ordinal)
            || name.EndsWith("LastPInvokeError", StringComparison.Ordinal)
            || name.EndsWith("LastSystemError", StringComparison.Ordinal);

        private static bool IsSocketError(ITypeSymbol? type) =>
            type is { Name: "SocketError", TypeKind: TypeKind.Enum } && type.ContainingNamespace?.ToDisplayString() == "System.Net.Sockets";

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

        private static IOperation? Unwrap(IOperation? operation, CaptureMap captures)
        {
            for (var depth = 0; depth < 32 && operation != null; depth++)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IFlowCaptureReferenceOperation:
                        operation = captures.Resolve(operation);
                        break;
                    default:
                        return operation;
                }
            }

            return operation;
        }
    }
}
