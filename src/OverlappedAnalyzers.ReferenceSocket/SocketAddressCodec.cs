using System;
using System.Net;
using System.Net.Sockets;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>Encodes endpoints as Winsock sockaddr_in / sockaddr_in6 bytes (and back).</summary>
    public static class SocketAddressCodec
    {
        /// <summary>AF_INET6 as Winsock numbers it.</summary>
        public const int WinsockInterNetworkV6 = 23;

        public const int IPv4Length = 16;

        public const int IPv6Length = 28;

        public static byte[] Encode(IPEndPoint endPoint)
        {
            if (endPoint == null)
            {
                throw new ArgumentNullException(nameof(endPoint));
            }

            byte[] address = endPoint.Address.GetAddressBytes();
            byte[] result;
            if (endPoint.AddressFamily == AddressFamily.InterNetwork)
            {
                result = new byte[IPv4Length];
                result[0] = (byte)AddressFamily.InterNetwork;
                Array.Copy(address, 0, result, 4, 4);
            }
            else if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                result = new byte[IPv6Length];
                result[0] = WinsockInterNetworkV6;
                Array.Copy(address, 0, result, 8, 16);
                long scope = endPoint.Address.ScopeId;
                result[24] = (byte)scope;
                result[25] = (byte)(scope >> 8);
                result[26] = (byte)(scope >> 16);
                result[27] = (byte)(scope >> 24);
            }
            else
            {
                throw new NotSupportedException("Only IPv4 and IPv6 endpoints are supported.");
            }

            result[2] = (byte)(endPoint.Port >> 8);
            result[3] = (byte)endPoint.Port;
            return result;
        }

        public static IPEndPoint Decode(byte[] sockaddr)
        {
            if (sockaddr == null)
            {
                throw new ArgumentNullException(nameof(sockaddr));
            }

            int port = (sockaddr[2] << 8) | sockaddr[3];
            if (sockaddr[0] == (byte)AddressFamily.InterNetwork && sockaddr.Length >= IPv4Length)
            {
                byte[] address = new byte[4];
                Array.Copy(sockaddr, 4, address, 0, 4);
                return new IPEndPoint(new IPAddress(address), port);
            }

            if (sockaddr[0] == WinsockInterNetworkV6 && sockaddr.Length >= IPv6Length)
            {
                byte[] address = new byte[16];
                Array.Copy(sockaddr, 8, address, 0, 16);
                long scope = (uint)(sockaddr[24] | (sockaddr[25] << 8) | (sockaddr[26] << 16) | (sockaddr[27] << 24));
                return new IPEndPoint(new IPAddress(address, scope), port);
            }

            throw new NotSupportedException("Unknown sockaddr family " + sockaddr[0] + ".");
        }
    }
}
