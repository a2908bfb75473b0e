using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    /// <summary>
    /// sockaddr_in / sockaddr_in6 in native memory, as bind and ConnectEx want them. The block is owned by this object and
    /// must stay alive until a ConnectEx that was handed it completes.
    /// </summary>
    internal sealed class NativeSocketAddress : IDisposable
    {
        public const int MaxSize = 28;

        private IntPtr m_block;

        public NativeSocketAddress(IPEndPoint endPoint)
        {
            if (endPoint is null)
            {
                throw new ArgumentNullException(nameof(endPoint));
            }

            m_block = Marshal.AllocHGlobal(MaxSize);
            Length = SocketAddressEncoder.Encode(endPoint, m_block, MaxSize);
            Family = endPoint.AddressFamily;
        }

        public IntPtr Address => m_block;
        public int Length { get; }
        public AddressFamily Family { get; }

        public void Dispose()
        {
            if (m_block != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(m_block);
                m_block = IntPtr.Zero;
            }
        }
    }

    /// <summary>Encodes and decodes Winsock socket addresses (network byte order for ports and IPv4 addresses).</summary>
    internal static class SocketAddressEncoder
    {
        private const short AF_INET = 2;
        private const short AF_INET6 = 23;
        public const int IPv4Size = 16;
        public const int IPv6Size = 28;

        /// <summary>Writes <paramref name="endPoint"/> at <paramref name="destination"/>; returns the sockaddr's length.</summary>
        public static int Encode(IPEndPoint endPoint, IntPtr destination, int capacity)
        {
            switch (endPoint.AddressFamily)
            {
                case AddressFamily.InterNetwork:
                    if (capacity < IPv4Size)
                    {
                        throw new ArgumentException("buffer too small for sockaddr_in", nameof(capacity));
                    }

                    Clear(destination, IPv4Size);
                    Marshal.WriteInt16(destination, 0, AF_INET);
                    WritePort(destination, endPoint.Port);
                    WriteBytes(destination, 4, endPoint.Address.GetAddressBytes());
                    return IPv4Size;

                case AddressFamily.InterNetworkV6:
                    if (capacity < IPv6Size)
                    {
                        throw new ArgumentException("buffer too small for sockaddr_in6", nameof(capacity));
                    }

                    Clear(destination, IPv6Size);
                    Marshal.WriteInt16(destination, 0, AF_INET6);
                    WritePort(destination, endPoint.Port);
                    WriteBytes(destination, 8, endPoint.Address.GetAddressBytes());
                    Marshal.WriteInt32(destination, 24, (int)endPoint.Address.ScopeId);
                    return IPv6Size;

                default:
                    throw new NotSupportedException("address family " + endPoint.AddressFamily);
            }
        }

        /// <summary>Reads a sockaddr written by the kernel (getsockname, GetAcceptExSockaddrs).</summary>
        public static IPEndPoint Decode(IntPtr source, int length)
        {
            short family = Marshal.ReadInt16(source, 0);
            int port = (Marshal.ReadByte(source, 2) << 8) | Marshal.ReadByte(source, 3);
            if (family == AF_INET && length >= IPv4Size)
            {
                return new IPEndPoint(new IPAddress(ReadBytes(source, 4, 4)), port);
            }

            if (family == AF_INET6 && length >= IPv6Size)
            {
                long scope = (uint)Marshal.ReadInt32(source, 24);
                return new IPEndPoint(new IPAddress(ReadBytes(source, 8, 16), scope), port);
            }

            throw new NotSupportedException("sockaddr family " + family + ", length " + length);
        }

        /// <summary>The socket's local or remote address, read through getsockname/getpeername.</summary>
        public static IPEndPoint Query(IntPtr socket, bool remote)
        {
            int length = NativeSocketAddress.MaxSize;
            IntPtr block = Marshal.AllocHGlobal(length);
            int result = remote ? WinSock.getpeername(socket, block, ref length) : WinSock.getsockname(socket, block, ref length);
            if (result == WinSock.SOCKET_ERROR)
            {
                // Leaks the block: the throw skips the free below.
                throw new SocketException((int)WinSock.WSAGetLastError());
            }

            var endPoint = Decode(block, length);
            Marshal.FreeHGlobal(block);
            return endPoint;
        }

        private static void WritePort(IntPtr destination, int port)
        {
            Marshal.WriteByte(destination, 2, (byte)(port >> 8));
            Marshal.WriteByte(destination, 3, (byte)port);
        }

        private static void WriteBytes(IntPtr destination, int offset, byte[] bytes)
        {
            Marshal.Copy(bytes, 0, destination + offset, bytes.Length);
        }

        private static byte[] ReadBytes(IntPtr source, int offset, int count)
        {
            var bytes = new byte[count];
            Marshal.Copy(source + offset, bytes, 0, count);
            return bytes;
        }

        private static void Clear(IntPtr destination, int length)
        {
            for (int i = 0; i < length; i++)
            {
                Marshal.WriteByte(destination, i, 0);
            }
        }
    }
}
