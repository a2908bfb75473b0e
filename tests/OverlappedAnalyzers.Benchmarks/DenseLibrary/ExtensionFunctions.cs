using System;
using System.Runtime.InteropServices;
using Dense.Sockets.Interop;

namespace Dense.Sockets
{
    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
    internal delegate bool AcceptExDelegate(IntPtr listenSocket, IntPtr acceptSocket, IntPtr buffer, int receiveLength, int localAddressLength, int remoteAddressLength, out int received, IntPtr overlapped);

    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
    internal delegate bool ConnectExDelegate(IntPtr socket, IntPtr address, int addressLength, IntPtr sendBuffer, int sendLength, out int sent, IntPtr overlapped);

    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
    internal delegate bool DisconnectExDelegate(IntPtr socket, IntPtr overlapped, int flags, int reserved);

    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
    internal delegate bool TransmitFileDelegate(IntPtr socket, IntPtr file, int bytesToWrite, int bytesPerSend, IntPtr overlapped, IntPtr transmitBuffers, int flags);

    [UnmanagedFunctionPointer(CallingConvention.StdCall)]
    internal delegate void GetAcceptExSockaddrsDelegate(IntPtr buffer, int receiveLength, int localAddressLength, int remoteAddressLength, out IntPtr localAddress, out int localLength, out IntPtr remoteAddress, out int remoteLength);

    /// <summary>
    /// The Winsock extension functions, which mswsock exports only through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER).
    /// Loaded once, from the first socket the library creates.
    /// </summary>
    internal sealed class ExtensionFunctions
    {
        private static readonly Guid AcceptExId = new Guid("b5367df1-cbac-11cf-95ca-00805f48a192");
        private static readonly Guid ConnectExId = new Guid("25a207b9-ddf3-4660-8ee9-76e58c74063e");
        private static readonly Guid DisconnectExId = new Guid("7fda2e11-8630-436f-a031-f536a6eec157");
        private static readonly Guid TransmitFileId = new Guid("b5367df0-cbac-11cf-95ca-00805f48a192");
        private static readonly Guid GetAcceptExSockaddrsId = new Guid("b5367df2-cbac-11cf-95ca-00805f48a192");

        private static readonly object Gate = new object();
        private static ExtensionFunctions s_loaded;

        private ExtensionFunctions(IntPtr socket)
        {
            AcceptEx = Load<AcceptExDelegate>(socket, AcceptExId);
            ConnectEx = Load<ConnectExDelegate>(socket, ConnectExId);
            DisconnectEx = Load<DisconnectExDelegate>(socket, DisconnectExId);
            TransmitFile = Load<TransmitFileDelegate>(socket, TransmitFileId);
            GetAcceptExSockaddrs = Load<GetAcceptExSockaddrsDelegate>(socket, GetAcceptExSockaddrsId);
        }

        public AcceptExDelegate AcceptEx { get; }
        public ConnectExDelegate ConnectEx { get; }
        public DisconnectExDelegate DisconnectEx { get; }
        public TransmitFileDelegate TransmitFile { get; }
        public GetAcceptExSockaddrsDelegate GetAcceptExSockaddrs { get; }

        public static ExtensionFunctions For(IntPtr socket)
        {
            lock (Gate)
            {
                return s_loaded ??= new ExtensionFunctions(socket);
            }
        }

        private static T Load<T>(IntPtr socket, Guid id)
            where T : Delegate
        {
            Guid guid = id;
            int result = WinSock.WSAIoctl(socket, WinSock.SIO_GET_EXTENSION_FUNCTION_POINTER, ref guid, Marshal.SizeOf<Guid>(), out IntPtr function, IntPtr.Size, out _, IntPtr.Zero, IntPtr.Zero);
            if (result == WinSock.SOCKET_ERROR)
            {
                throw SocketErrors.Last();
            }

            return Marshal.GetDelegateForFunctionPointer<T>(function);
        }
    }
}
