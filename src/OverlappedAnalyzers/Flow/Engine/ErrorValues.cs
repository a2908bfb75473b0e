using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>
    /// Which values of one graph are <em>error values</em> (RULES.md, "Error values and call results"): only they say
    /// whether an I/O call is pending. A value is one by where it comes from, never by its type alone — an <c>int</c>
    /// read from <c>GetLastError()</c> is an error code, an <c>int</c> holding <c>ReadFile</c>'s BOOL is not:
    /// <list type="bullet">
    /// <item>a call of <c>GetLastError</c>/<c>WSAGetLastError</c>/<c>Marshal.GetLastWin32Error</c>/<c>GetLastPInvokeError</c>/
    /// <c>GetLastSystemError</c> (any declaring type: P/Invoke, wrapper or BCL);</item>
    /// <item>a <c>System.Net.Sockets.SocketError</c>, or an enum that declares ERROR_IO_PENDING (997): an error-code enum;</item>
    /// <item>a local every write of which is an error value (<c>uint err = GetLastError();</c>);</item>
    /// <item>a local, parameter or field the method itself compares with 997: APIs such as <c>HttpReceiveHttpRequest</c>
    /// return the Win32 error directly, and code that asks "is it pending?" of a value says it is an error code.</item>
    /// </list>
    /// </summary>
    internal sealed class ErrorValues
    {
        private const int MaxDepth = 16;

        private readonly CaptureMap captures;
        private readonly HashSet<ISymbol> comparedWithPending = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ILocalSymbol, List<IOperation?>> localWrites = new Dictionary<ILocalSymbol, List<IOperation?>>(SymbolEqualityComparer.Default);

        // The dataflow asks about the same branch once per visit of its block: a local written thousands of times would
        // otherwise be re-examined on every visit. Answers for locals are cached (the graph does not change).
        private readonly Dictionary<ILocalSymbol, bool> errorLocals = new Dictionary<ILocalSymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ILocalSymbol, CallResult> resultLocals = new Dictionary<ILocalSymbol, CallResult>(SymbolEqualityComparer.Default);

        public ErrorValues(ControlFlowGraph graph, CaptureMap captures)
        {
            this.captures = captures;
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    Collect(operation);
                }

                if (block.BranchValue != null)
                {
                    Collect(block.BranchValue);
                }
            }
        }

        /// <summary>True when <paramref name="value"/> (conversions and flow captures already looked through or not) is an error value.</summary>
        public bool IsErrorValue(IOperation? value)
        {
            value = captures.Unwrap(value);
            if (value is ILocalReferenceOperation local)
            {
                if (!errorLocals.TryGetValue(local.Local, out var known))
                {
                    known = IsErrorValue(value, 0, null);
                    errorLocals[local.Local] = known;
                }

                return known;
            }

            return IsErrorValue(value, 0, null);
        }

        /// <summary>
        /// How the result of the I/O call itself reports success, when <paramref name="value"/> is one: a bool (TRUE), an
        /// int/uint from a native call (BOOL: nonzero) or from a Winsock call (<c>WSARecv</c> and friends: 0, else
        /// SOCKET_ERROR). Such a result never says whether the error is pending — only whether the call succeeded.
        /// </summary>
        public CallResult CallResultOf(IOperation? value)
        {
            value = captures.Unwrap(value);
            if (value is ILocalReferenceOperation local)
            {
                if (!resultLocals.TryGetValue(local.Local, out var known))
                {
                    known = CallResultOf(value, 0, null);
                    resultLocals[local.Local] = known;
                }

                return known;
            }

            return CallResultOf(value, 0, null);
        }

        /// <summary>The names of the calls that read the thread's last error.</summary>
        public static bool IsLastErrorName(string name) =>
            name.EndsWith("LastError", StringComparison.Ordinal)
            || name.EndsWith("LastWin32Error", StringComparison.Ordinal)
            || name.EndsWith("LastPInvokeError", StringComparison.Ordinal)
            || name.EndsWith("LastSystemError", StringComparison.Ordinal);

        public static bool IsSocketError(ITypeSymbol? type) =>
            type is { Name: "SocketError", TypeKind: TypeKind.Enum } && type.ContainingNamespace?.ToDisplayString() == "System.Net.Sockets";

        private bool IsErrorValue(IOperation? value, int depth, HashSet<ILocalSymbol>? visited)
        {
            value = captures.Unwrap(value);
            if (value is null || depth > MaxDepth)
            {
                return false;
            }

            if (IsErrorCodeEnum(value.Type))
            {
                return true;
            }

            switch (value)
            {
                case IInvocationOperation call:
                    return IsLastErrorName(call.TargetMethod.Name);

                case ILocalReferenceOperation local:
                    if (comparedWithPending.Contains(local.Local))
                    {
                        return true;
                    }

                    if (!localWrites.TryGetValue(local.Local, out var writes) || writes.Count == 0)
                    {
                        return false;
                    }

                    visited ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                    if (!visited.Add(local.Local))
                    {
                        // A cycle (err = err2; err2 = err;): the other writes decide.
                        return true;
                    }

                    foreach (var written in writes)
                    {
                        if (written is null || !IsErrorValue(written, depth + 1, visited))
                        {
                            return false;
                        }
                    }

                    return true;

                case IParameterReferenceOperation parameter:
                    return comparedWithPending.Contains(parameter.Parameter);

                case IFieldReferenceOperation field:
                    return comparedWithPending.Contains(field.Field);

                default:
                    return false;
            }
        }

        private CallResult CallResultOf(IOperation? value, int depth, HashSet<ILocalSymbol>? visited)
        {
            value = captures.Unwrap(value);
            if (value is null || depth > MaxDepth)
            {
                return CallResult.None;
            }

            switch (value)
            {
                case IInvocationOperation call:
                    return IoCalls.ResultOf(call);

                case ILocalReferenceOperation local when localWrites.TryGetValue(local.Local, out var writes) && writes.Count > 0:
                    visited ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                    if (!visited.Add(local.Local))
                    {
                        return CallResult.None;
                    }

                    var result = CallResult.None;
                    foreach (var written in writes)
                    {
                        var kind = written is null ? CallResult.None : CallResultOf(written, depth + 1, visited);
                        if (kind == CallResult.None || (result != CallResult.None && kind != result))
                        {
                            return CallResult.None;
                        }

                        result = kind;
                    }

                    return result;

                default:
                    return CallResult.None;
            }
        }

        /// <summary>SocketError, or an enum of Win32/Winsock codes (one of its members is ERROR_IO_PENDING).</summary>
        private static bool IsErrorCodeEnum(ITypeSymbol? type)
        {
            if (type is null || type.TypeKind != TypeKind.Enum)
            {
                return false;
            }

            if (IsSocketError(type))
            {
                return true;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && IsPendingConstant(field.ConstantValue))
                {
                    return true;
                }
            }

            return false;
        }

        private void Collect(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        Write(target.Local, assignment.IsRef ? null : assignment.Value);
                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation compound }:
                        Write(compound.Local, null);
                        break;
                    case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented }:
                        Write(incremented.Local, null);
                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation byRef } argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out:
                        Write(byRef.Local, null);
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var written in deconstruction.Target.DescendantsAndSelf())
                        {
                            if (written is ILocalReferenceOperation deconstructed)
                            {
                                Write(deconstructed.Local, null);
                            }
                        }

                        break;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                        NoteComparison(binary.LeftOperand, binary.RightOperand);
                        NoteComparison(binary.RightOperand, binary.LeftOperand);
                        break;
                    case IIsPatternOperation isPattern when MentionsPending(isPattern.Pattern):
                        NoteCompared(isPattern.Value);
                        break;
                }
            }
        }

        private void Write(ILocalSymbol local, IOperation? value)
        {
            if (!localWrites.TryGetValue(local, out var writes))
            {
                writes = new List<IOperation?>();
                localWrites.Add(local, writes);
            }

            writes.Add(value);
        }

        private void NoteComparison(IOperation value, IOperation constant)
        {
            if (IsPendingConstant(constant.ConstantValue) && !value.ConstantValue.HasValue)
            {
                NoteCompared(value);
            }
        }

        private void NoteCompared(IOperation value)
        {
            switch (captures.Unwrap(value))
            {
                case ILocalReferenceOperation local:
                    comparedWithPending.Add(local.Local);
                    break;
                case IParameterReferenceOperation parameter:
                    comparedWithPending.Add(parameter.Parameter);
                    break;
                case IFieldReferenceOperation field:
                    comparedWithPending.Add(field.Field);
                    break;
            }
        }

        private static bool MentionsPending(IPatternOperation pattern)
        {
            foreach (var operation in pattern.DescendantsAndSelf())
            {
                if (operation is IConstantPatternOperation constantPattern && IsPendingConstant(constantPattern.Value.ConstantValue))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsPendingConstant(Optional<object?> constant) =>
            constant.HasValue && constant.Value switch
            {
                int i => i == FailureBranches.IoPending,
                uint u => u == FailureBranches.IoPending,
                long l => l == FailureBranches.IoPending,
                ulong ul => ul == FailureBranches.IoPending,
                _ => false,
            };
    }
}
