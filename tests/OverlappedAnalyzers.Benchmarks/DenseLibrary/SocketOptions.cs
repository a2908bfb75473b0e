using System;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>setsockopt / WSAIoctl wrappers that marshal their values through short-lived native blocks.</summary>
    internal static class SocketOptions
    {
        public static void SetInt(IntPtr socket, int level, int name, int value)
        {
            IntPtr block = Marshal.AllocHGlobal(sizeof(int));
            try
            {
                Marshal.WriteInt32(block, value);
                SocketErrors.ThrowIfFailed(WinSock.setsockopt(socket, level, name, block, sizeof(int)));
            }
            finally
            {
                Marshal.FreeHGlobal(block);
            }
        }

        public static int GetInt(IntPtr socket, int level, int name)
        {
            int length = sizeof(int);
            IntPtr block = Marshal.AllocHGlobal(length);
            try
            {
                SocketErrors.ThrowIfFailed(WinSock.getsockopt(socket, level, name, block, ref length));
                return Marshal.ReadInt32(block);
            }
            finally
            {
                Marshal.FreeHGlobal(block);
            }
        }

        public static void SetNoDelay(IntPtr socket, bool noDelay) => SetInt(socket, WinSock.IPPROTO_TCP, WinSock.TCP_NODELAY, noDelay ? 1 : 0);

        public static void SetLinger(IntPtr socket, bool enabled, int seconds)
        {
            var linger = new Linger { OnOff = enabled ? (ushort)1 : (ushort)0, Seconds = (ushort)Math.Min(seconds, ushort.MaxValue) };
            GCHandle pin = GCHandle.Alloc(linger, GCHandleType.Pinned);
            try
            {
                SocketErrors.ThrowIfFailed(WinSock.setsockopt(socket, WinSock.SOL_SOCKET, WinSock.SO_LINGER, pin.AddrOfPinnedObject(), Marshal.SizeOf<Linger>()));
            }
            finally
            {
                pin.Free();
            }
        }

        /// <summary>TCP keep-alive with explicit timings (SIO_KEEPALIVE_VALS): detects half-open peers the port never reports.</summary>
        public static void SetKeepAlive(IntPtr socket, TimeSpan time, TimeSpan interval)
        {
            int size = Marshal.SizeOf<TcpKeepAlive>();
            IntPtr block = Marshal.AllocCoTaskMem(size);
            try
            {
                var values = new TcpKeepAlive { OnOff = 1, KeepAliveTime = (uint)time.TotalMilliseconds, KeepAliveInterval = (uint)interval.TotalMilliseconds };
                Marshal.StructureToPtr(values, block, false);
                int result = WinSock.WSAIoctl(socket, WinSock.SIO_KEEPALIVE_VALS, block, size, IntPtr.Zero, 0, out _, IntPtr.Zero, IntPtr.Zero);
                SocketErrors.ThrowIfFailed(result);
            }
            finally
            {
                Marshal.FreeCoTaskMem(block);
            }
        }

        /// <summary>Inherits the listener's properties into an accepted socket (required before shutdown/getpeername work on it).</summary>
        public static void UpdateAcceptContext(IntPtr accepted, IntPtr listener)
        {
            IntPtr value = listener;
            SocketErrors.ThrowIfFailed(WinSock.setsockopt(accepted, WinSock.SOL_SOCKET, WinSock.SO_UPDATE_ACCEPT_CONTEXT, ref value, IntPtr.Size));
        }

        public static void UpdateConnectContext(IntPtr socket)
        {
            SocketErrors.ThrowIfFailed(WinSock.setsockopt(socket, WinSock.SOL_SOCKET, WinSock.SO_UPDATE_CONNECT_CONTEXT, IntPtr.Zero, 0));
        }
    }
}
