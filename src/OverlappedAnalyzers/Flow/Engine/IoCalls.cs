using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Engine
{
    /// <summary>Which calls may be the I/O call of an overlapped operation, and how their own result reports success.</summary>
    internal static class IoCalls
    {
        /// <summary>
        /// The success convention of <paramref name="call"/>'s result: BOOL (bool, int or uint: nonzero) for native calls and
        /// pointer-taking wrappers, Winsock (0, else SOCKET_ERROR) for <c>WSA*</c> calls; none for anything else.
        /// </summary>
        public static CallResult ResultOf(IInvocationOperation call)
        {
            if (!IsIoCall(call))
            {
                return CallResult.None;
            }

            var method = call.TargetMethod;
            if (method.ReturnType.SpecialType == SpecialType.System_Boolean)
            {
                return CallResult.TrueOnSuccess;
            }

            if (method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32)
            {
                return IsWinsockName(method) ? CallResult.ZeroOnSuccess : CallResult.TrueOnSuccess;
            }

            return CallResult.None;
        }

        /// <summary>
        /// A call that may be the I/O call: one that reaches native code (P/Invoke, [LibraryImport], a delegate from
        /// GetDelegateForFunctionPointer, a function pointer) or a wrapper handed a pointer, IntPtr or SafeHandle
        /// (<c>Native.AcceptEx(listener, accepted, ov.Address)</c>). A plain <c>logger.IsEnabled()</c> is not one: reading
        /// its result as the call's success would hide the failure around it.
        /// </summary>
        public static bool IsIoCall(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (method.IsExtern || method.MethodKind is MethodKind.DelegateInvoke or MethodKind.FunctionPointerSignature || method.GetDllImportData() != null
                || HasLibraryImport(method.PartialDefinitionPart ?? method))
            {
                return true;
            }

            foreach (var argument in call.Arguments)
            {
                var type = argument.Value.Type;
                if (type != null && (type.TypeKind == TypeKind.Pointer || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr || IsSafeHandle(type)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasLibraryImport(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "LibraryImportAttribute")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsSafeHandle(ITypeSymbol type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (current.Name == "SafeHandle" && current.ContainingNamespace?.ToDisplayString() == "System.Runtime.InteropServices")
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>WSARecv, WSASend, WSAIoctl...: 0 on success, SOCKET_ERROR otherwise (the delegate's type names it for a delegate).</summary>
        private static bool IsWinsockName(IMethodSymbol method)
        {
            var name = method.MethodKind == MethodKind.DelegateInvoke ? method.ContainingType.Name : method.Name;
            return name.StartsWith("WSA", StringComparison.Ordinal);
        }
    }
}
