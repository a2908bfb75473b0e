using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dense.Sockets.Interop
{
    /// <summary>One WSABUF: a length and a pointer the kernel reads or writes during an overlapped send or receive.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WsaBuffer
    {
        public int Length;
        public IntPtr Pointer;

        public static readonly int Size = Marshal.SizeOf<WsaBuffer>();
    }

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Ansi)]
    internal struct WsaData
    {
        public short Version;
        public short HighVersion;
        public short MaxSockets;
        public short MaxUdpDg;
        public IntPtr VendorInfo;

        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 257)]
        public string Description;

        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 129)]
        public string SystemStatus;
    }

    /// <summary>tcp_keepalive for SIO_KEEPALIVE_VALS.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TcpKeepAlive
    {
        public uint OnOff;
        public uint KeepAliveTime;
        public uint KeepAliveInterval;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Linger
    {
        public ushort OnOff;
        public ushort Seconds;
    }

    /// <summary>The Winsock entry points the library calls directly (the extension functions come through WSAIoctl).</summary>
    internal static class WinSock
    {
        public const int SOCKET_ERROR = -1;
        public static readonly IntPtr INVALID_SOCKET = new IntPtr(-1);

        public const int WSA_IO_PENDING = 997;
        public const int WSAECONNRESET = 10054;
        public const int WSAENOTCONN = 10057;
        public const int WSAESHUTDOWN = 10058;

        public const int WSA_FLAG_OVERLAPPED = 0x01;
        public const int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;

        public const int SOL_SOCKET = 0xffff;
        public const int SO_LINGER = 0x0080;
        public const int SO_RCVBUF = 0x1002;
        public const int SO_SNDBUF = 0x1001;
        public const int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
        public const int SO_UPDATE_CONNECT_CONTEXT = 0x7010;
        public const int IPPROTO_TCP = 6;
        public const int TCP_NODELAY = 0x0001;

        public const int SIO_GET_EXTENSION_FUNCTION_POINTER = unchecked((int)0xC8000006);
        public const int SIO_KEEPALIVE_VALS = unchecked((int)0x98000004);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern SocketError WSAStartup(short versionRequested, out WsaData data);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern SocketError WSACleanup();

        [DllImport("ws2_32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        public static extern IntPtr WSASocketW(AddressFamily family, SocketType type, ProtocolType protocol, IntPtr protocolInfo, uint group, int flags);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int closesocket(IntPtr socket);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int bind(IntPtr socket, IntPtr address, int addressLength);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int listen(IntPtr socket, int backlog);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int shutdown(IntPtr socket, SocketShutdown how);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int getsockname(IntPtr socket, IntPtr address, ref int addressLength);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int getpeername(IntPtr socket, IntPtr address, ref int addressLength);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int setsockopt(IntPtr socket, int level, int name, IntPtr value, int length);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int setsockopt(IntPtr socket, int level, int name, ref IntPtr value, int length);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int getsockopt(IntPtr socket, int level, int name, IntPtr value, ref int length);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int WSAIoctl(IntPtr socket, int code, IntPtr input, int inputLength, IntPtr output, int outputLength, out int returned, IntPtr overlapped, IntPtr completion);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int WSAIoctl(IntPtr socket, int code, ref Guid input, int inputLength, out IntPtr output, int outputLength, out int returned, IntPtr overlapped, IntPtr completion);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int WSARecv(IntPtr socket, IntPtr buffers, int bufferCount, out int transferred, ref SocketFlags flags, IntPtr overlapped, IntPtr completion);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int WSASend(IntPtr socket, IntPtr buffers, int bufferCount, out int transferred, SocketFlags flags, IntPtr overlapped, IntPtr completion);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern SocketError WSAGetLastError();

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern bool WSAGetOverlappedResult(IntPtr socket, IntPtr overlapped, out int transferred, bool wait, out SocketFlags flags);
    }
}
