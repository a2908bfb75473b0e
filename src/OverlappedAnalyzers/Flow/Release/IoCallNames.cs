using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// The I/O calls whose failure indication can mean ERROR_IO_PENDING, by name (a P/Invoke of any declaring type, or a
    /// delegate bound to the entry point: <c>m_acceptEx</c>, <c>LPFN_CONNECTEX</c>, <c>AcceptExDelegate</c>).
    /// ReadDirectoryChangesW is not one (TRUE means queued, so FALSE really failed); GetOverlappedResult,
    /// WSAGetOverlappedResult and CancelIoEx only ask about or cancel an operation.
    /// </summary>
    internal static class IoCallNames
    {
        /// <summary>Winsock calls that are always overlapped when handed an OVERLAPPED: asynchronous whatever the OVERLAPPED is.</summary>
        private static readonly ImmutableArray<string> AlwaysOverlapped = ImmutableArray.Create("AcceptEx", "ConnectEx", "DisconnectEx", "TransmitFile");

        private static readonly ImmutableArray<string> WinsockFamilies = ImmutableArray.Create("WSARecv", "WSASend", "WSAIoctl");

        private static readonly ImmutableArray<string> FileCalls = ImmutableArray.Create(
            "ReadFile", "WriteFile", "DeviceIoControl", "ConnectNamedPipe", "LockFileEx", "WaitCommEvent");

        /// <summary>
        /// The text gate: the calls' names, and the names an OVERLAPPED goes by. A delegate field (<c>m_disconnectEx</c>) is not a
        /// gate name; a block calling one is found through the overlapped it passes or frees.
        /// </summary>
        public static readonly ImmutableArray<string> GateNames = ImmutableArray.Create(
            "ReadFile", "WriteFile", "DeviceIoControl", "ConnectNamedPipe", "LockFileEx", "WaitCommEvent",
            "AcceptEx", "ConnectEx", "DisconnectEx", "TransmitFile",
            "WSARecv", "WSARecvFrom", "WSARecvMsg", "WSASend", "WSASendTo", "WSASendMsg", "WSAIoctl",
            "NativeOverlapped", "StartOperation", "AllocateNativeOverlapped", "UnsafeAllocateNativeOverlapped", "UnsafePack", "Pack",
            "Overlapped", "overlapped", "lpOverlapped");

        /// <summary>Lower-case stems of the names: a callee whose name contains one may be an I/O call (<c>ReadFileNative</c>, <c>m_acceptEx</c>).</summary>
        private static readonly ImmutableArray<string> Stems = ImmutableArray.Create(
            "readfile", "writefile", "deviceiocontrol", "connectnamedpipe", "lockfileex", "waitcommevent",
            "acceptex", "connectex", "transmitfile", "wsarecv", "wsasend", "wsaioctl");

        /// <summary>
        /// The second gate, before the block is bound as a whole: does the code block invoke a P/Invoke or delegate whose name
        /// contains an I/O call's name? The text gate lets in every block that merely mentions an OVERLAPPED; building a control-flow graph for
        /// those (a 2,000-statement method of StartOperation calls) would double the rules' cost for nothing.
        /// </summary>
        public static bool MayBeCalledIn(SyntaxNode codeBlock, SemanticModel model, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var node in codeBlock.DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocation)
                {
                    continue;
                }

                var name = invocation.Expression switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    _ => string.Empty,
                };
                foreach (var stem in Stems)
                {
                    // Only then one node is bound: a managed wrapper (Native.WSARecv with a body) is not an I/O call.
                    if (name.IndexOf(stem, StringComparison.OrdinalIgnoreCase) >= 0
                        && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
                        && Engine.NativeEntryPoints.IsNativeOrDelegate(method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Classifies a P/Invoke name (exact), or a delegate's field or type name once decorations are stripped
        /// (<c>m_</c>, <c>_</c>, <c>lpfn</c> prefixes; <c>Delegate</c>, <c>Fn</c>, <c>Func</c>, <c>Ptr</c>, <c>Handler</c> suffixes).
        /// </summary>
        public static bool TryClassify(string name, bool stripDecorations, out IoResultConvention convention, out bool alwaysOverlapped, out string canonical)
        {
            convention = IoResultConvention.Bool;
            alwaysOverlapped = false;
            canonical = name;
            if (stripDecorations)
            {
                name = Strip(name);
            }

            foreach (var candidate in AlwaysOverlapped)
            {
                if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))
                {
                    alwaysOverlapped = true;
                    canonical = candidate;
                    return true;
                }
            }

            foreach (var family in WinsockFamilies)
            {
                if (name.StartsWith(family, StringComparison.OrdinalIgnoreCase) && (family != "WSAIoctl" || name.Length == family.Length))
                {
                    convention = IoResultConvention.SocketErrorInt;
                    alwaysOverlapped = true;
                    canonical = family + name.Substring(family.Length);
                    return true;
                }
            }

            foreach (var candidate in FileCalls)
            {
                if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))
                {
                    canonical = candidate;
                    return true;
                }
            }

            return false;
        }

        private static string Strip(string name)
        {
            foreach (var prefix in new[] { "m_", "s_", "_", "lpfn_", "lpfn", "fn" })
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
                {
                    name = name.Substring(prefix.Length);
                    break;
                }
            }

            foreach (var suffix in new[] { "Delegate", "Func", "Fn", "Ptr", "Handler", "Proc" })
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
                {
                    name = name.Substring(0, name.Length - suffix.Length);
                    break;
                }
            }

            return name;
        }
    }
}
