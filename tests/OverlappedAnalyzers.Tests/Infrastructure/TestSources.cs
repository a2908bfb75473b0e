namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>Source shared by rule tests: a seed-like overlapped type and a native layer to call.</summary>
    public static class TestSources
    {
        /// <summary>
        /// A seed-like overlapped (StartOperation/Complete/InProgress) and a native API returning SocketError.
        /// Added as a second file so test bodies stay about the rule.
        /// </summary>
        public const string Overlapped = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Io
{
    public enum OperationType { Send, Receive, Accept, Connect }

    public sealed class Overlapped : IDisposable
    {
        public Overlapped() { Address = Marshal.AllocHGlobal(40); }
        public IntPtr Address { get; private set; }
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }
        public void StartOperation(OperationType type) { InProgress = true; }
        public void Complete() { InProgress = false; }
        public void Dispose() { if (!InProgress) { Marshal.FreeHGlobal(Address); } Disposed = true; }
    }

    public static class Native
    {
        public static SocketError WSARecv(IntPtr socket, IntPtr buffers, IntPtr overlapped) => SocketError.Success;
        public static SocketError WSASend(IntPtr socket, IntPtr buffers, IntPtr overlapped) => SocketError.Success;
        public static bool AcceptEx(IntPtr listener, IntPtr accepted, IntPtr overlapped) => true;
        public static int GetLastError() => 0;
        public static SocketError GetLastSocketError() => SocketError.Success;
        public static void PostCompletion(IntPtr overlapped) { }
    }
}
";
    }
}
