// Compiled, unmutated, next to every corpus input: a seed-like overlapped and a fake native layer.
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Io
{
    public enum OperationType { Send, Receive, Accept, Connect, Disconnect }

    public sealed class Overlapped : IDisposable
    {
        public Overlapped() { Address = Marshal.AllocHGlobal(40); }
        public IntPtr Address { get; private set; }
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }
        public OperationType Type { get; private set; }
        public void StartOperation(OperationType type) { Type = type; InProgress = true; }
        public void Complete() { InProgress = false; }

        // The completion side frees an overlapped that was disposed while pending (the seed's CompleteOperation).
        public static void CompleteOperation(Overlapped overlapped)
        {
            overlapped.Complete();
            if (overlapped.Disposed) { Marshal.FreeHGlobal(overlapped.Address); overlapped.Address = IntPtr.Zero; }
        }
        public void Dispose()
        {
            if (!InProgress) { Marshal.FreeHGlobal(Address); Address = IntPtr.Zero; }
            Disposed = true;
        }
    }

    public static class Native
    {
        public const int ERROR_IO_PENDING = 997;
        public const int WSA_IO_PENDING = 997;
        public static SocketError WSARecv(IntPtr socket, IntPtr buffers, IntPtr overlapped) => SocketError.Success;
        public static SocketError WSASend(IntPtr socket, IntPtr buffers, IntPtr overlapped) => SocketError.Success;
        public static bool AcceptEx(IntPtr listener, IntPtr accepted, IntPtr overlapped) => true;
        public static bool ConnectEx(IntPtr socket, IntPtr address, IntPtr overlapped) => true;
        public static unsafe bool ReadFile(IntPtr file, byte* buffer, int count, out int read, System.Threading.NativeOverlapped* overlapped) { read = 0; return true; }
        public static int GetLastError() => 0;
        public static SocketError GetLastSocketError() => SocketError.Success;
        public static void PostCompletion(IntPtr overlapped) { }
    }
}
