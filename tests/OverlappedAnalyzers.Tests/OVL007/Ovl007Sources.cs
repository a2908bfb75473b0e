namespace OverlappedAnalyzers.Tests.OVL007
{
    /// <summary>The Win32 surface the OVL007 tests call, declared the way real code declares it.</summary>
    internal static class Ovl007Sources
    {
        public const string Usings = @"
using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Io;
";

        public const string Native = @"
static unsafe class Kernel32
{
    public const int ERROR_IO_PENDING = 997;

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool ReadFile(IntPtr file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern int WriteFile(IntPtr file, IntPtr buffer, int count, IntPtr written, NativeOverlapped* overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool DeviceIoControl(IntPtr device, int code, IntPtr input, int inputLength, IntPtr output, int outputLength, IntPtr returned, NativeOverlapped* overlapped);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool ReadDirectoryChangesW(IntPtr directory, IntPtr buffer, int length, bool subtree, int filter, IntPtr returned, NativeOverlapped* overlapped, IntPtr routine);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool GetOverlappedResult(IntPtr file, NativeOverlapped* overlapped, out int transferred, bool wait);

    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool CancelIoEx(IntPtr file, NativeOverlapped* overlapped);
}

static unsafe class Ws2
{
    public const int SOCKET_ERROR = -1;
    public const int WSA_IO_PENDING = 997;

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern int WSARecv(IntPtr socket, IntPtr buffers, int count, out int received, ref SocketFlags flags, NativeOverlapped* overlapped, IntPtr routine);

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern SocketError WSASend(IntPtr socket, IntPtr buffers, int count, out int sent, SocketFlags flags, IntPtr overlapped, IntPtr routine);

    [DllImport(""ws2_32.dll"")]
    public static extern int WSAGetLastError();

    [DllImport(""ws2_32.dll"", SetLastError = true)]
    public static extern bool WSAGetOverlappedResult(IntPtr socket, NativeOverlapped* overlapped, out int transferred, bool wait, out SocketFlags flags);
}

unsafe delegate bool AcceptExDelegate(IntPtr listener, IntPtr accepted, IntPtr buffer, int receiveLength, int localLength, int remoteLength, out int received, IntPtr overlapped);
";

        public static string Wrap(string body) => Usings + body + Native;
    }
}
