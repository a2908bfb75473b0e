using System;
using System.Collections.Immutable;

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
