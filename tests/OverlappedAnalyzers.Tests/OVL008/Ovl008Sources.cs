namespace OverlappedAnalyzers.Tests.OVL008
{
    /// <summary>Declarations the OVL008 tests share: the Winsock calls a completion callback makes.</summary>
    internal static class Ovl008Sources
    {
        public const string Usings = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
";

        public const string Native = @"
static unsafe class Ws2
{
    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern bool WSAGetOverlappedResult(IntPtr socket, NativeOverlapped* overlapped, out int transferred, bool wait, out SocketFlags flags);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool PostQueuedCompletionStatus(IntPtr port, int transferred, IntPtr key, IntPtr overlapped);
}
";
    }
}
