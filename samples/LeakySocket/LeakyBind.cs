using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OverlappedAnalyzers.ReferenceSocket;

namespace LeakySocket
{
    /// <summary>
    /// Binds a socket to a raw sockaddr. Not used by the storm: it is here so the build shows OVL003
    /// on a local handle (the reference socket pins through PinnedBuffer and frees in a finally).
    /// </summary>
    public static class LeakyBind
    {
        // BUG (OVL003): when bind fails the throw leaves with the sockaddr still pinned.
        public static void Bind(INativeSocketApi native, IntPtr socket, byte[] socketAddress)
        {
            GCHandle pin = GCHandle.Alloc(socketAddress, GCHandleType.Pinned);
            SocketError error = native.Bind(socket, pin.AddrOfPinnedObject(), socketAddress.Length);
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            pin.Free();
        }
    }
}
