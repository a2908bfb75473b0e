using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
#if NET
using System.Runtime.Versioning;
#endif

namespace OverlappedAnalyzers.ReferenceSocket.Win32
{
    /// <summary>
    /// <see cref="INativeSocketApi"/> over ws2_32/kernel32. Blittable signatures only (BOOL as
    /// int, handles as IntPtr), SetLastError on every import so <see cref="GetLastError"/> reads
    /// the error of the call just made. AcceptEx/ConnectEx are Winsock extension functions loaded
    /// through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER).
    /// </summary>
#if NET
    [SupportedOSPlatform("windows")]
#endif
    public sealed class Win32NativeSocketApi : INativeSocketApi
    {
        private const uint WsaFlagOverlapped = 0x01;
        private const int SioGetExtensionFunctionPointer = unchecked((int)0xC8000006);
        private const int WsaDataSize = 408;
        private static readonly IntPtr s_invalidHandle = new IntPtr(-1);
        private static readonly Guid s_acceptExId = new Guid("b5367df1-cbac-11cf-95ca-00805f48a192");
        private static readonly Guid s_connectExId = new Guid("25a207b9-ddf3-4660-8ee9-76e58c74063e");

        private readonly object m_extensionGate = new object();
        private AcceptExFunction? m_acceptEx;
        private ConnectExFunction? m_connectEx;

        public Win32NativeSocketApi()
        {
            IntPtr wsaData = Marshal.AllocHGlobal(WsaDataSize);
            try
            {
                int error = WSAStartup(0x0202, wsaData);
                if (error != 0)
                {
                    throw new SocketException(error);
                }
            }
            finally
            {
                Marshal.FreeHGlobal(wsaData);
            }
        }

        [UnmanagedFunctionPointer(CallingConvention.Winapi, SetLastError = true)]
        private delegate int AcceptExFunction(IntPtr listenSocket, IntPtr acceptSocket, IntPtr outputBuffer, int receiveDataLength, int localAddressLength, int remoteAddressLength, out int bytesReceived, IntPtr overlapped);

        [UnmanagedFunctionPointer(CallingConvention.Winapi, SetLastError = true)]
        private delegate int ConnectExFunction(IntPtr socket, IntPtr address, int addressLength, IntPtr sendBuffer, int sendLength, out int bytesSent, IntPtr overlapped);

        public IntPtr CreateCompletionPort() => CreateIoCompletionPort(s_invalidHandle, IntPtr.Zero, UIntPtr.Zero, 0);

        public bool AssociateWithCompletionPort(IntPtr handle, IntPtr port, IntPtr completionKey) =>
            CreateIoCompletionPort(handle, port, (UIntPtr)(ulong)completionKey.ToInt64(), 0) != IntPtr.Zero;

        public bool GetQueuedCompletionStatus(IntPtr port, out int bytesTransferred, out IntPtr completionKey, out IntPtr overlapped, int timeoutMilliseconds)
        {
            int result = GetQueuedCompletionStatusNative(port, out uint bytes, out UIntPtr key, out overlapped, unchecked((uint)timeoutMilliseconds));
            bytesTransferred = unchecked((int)bytes);
            completionKey = (IntPtr)(long)key.ToUInt64();
            return result != 0;
        }

        public bool PostQueuedCompletionStatus(IntPtr port, int bytesTransferred, IntPtr completionKey, IntPtr overlapped) =>
            PostQueuedCompletionStatusNative(port, unchecked((uint)bytesTransferred), (UIntPtr)(ulong)completionKey.ToInt64(), overlapped) != 0;

        public bool CloseCompletionPort(IntPtr port) => CloseHandle(port) != 0;

        public IntPtr CreateSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
            int family = addressFamily == AddressFamily.InterNetworkV6 ? SocketAddressCodec.WinsockInterNetworkV6 : (int)addressFamily;
            return WSASocketW(family, (int)socketType, (int)protocolType, IntPtr.Zero, 0, WsaFlagOverlapped);
        }

        public SocketError Bind(IntPtr socket, IntPtr address, int addressLength) => (SocketError)bind(socket, address, addressLength);

        public SocketError Listen(IntPtr socket, int backlog) => (SocketError)listen(socket, backlog);

        public bool AcceptEx(IntPtr listenSocket, IntPtr acceptSocket, IntPtr outputBuffer, int receiveDataLength, int localAddressLength, int remoteAddressLength, out int bytesReceived, IntPtr overlapped)
        {
            AcceptExFunction? acceptEx = m_acceptEx ?? LoadExtensions(listenSocket).AcceptEx;
            if (acceptEx == null)
            {
                bytesReceived = 0;
                return false;
            }

            return acceptEx(listenSocket, acceptSocket, outputBuffer, receiveDataLength, localAddressLength, remoteAddressLength, out bytesReceived, overlapped) != 0;
        }

        public bool ConnectEx(IntPtr socket, IntPtr address, int addressLength, IntPtr sendBuffer, int sendLength, out int bytesSent, IntPtr overlapped)
        {
            ConnectExFunction? connectEx = m_connectEx ?? LoadExtensions(socket).ConnectEx;
            if (connectEx == null)
            {
                bytesSent = 0;
                return false;
            }

            return connectEx(socket, address, addressLength, sendBuffer, sendLength, out bytesSent, overlapped) != 0;
        }

        public SocketError Send(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, SocketFlags flags, IntPtr overlapped) =>
            (SocketError)WSASend(socket, buffers, bufferCount, out bytesTransferred, (int)flags, overlapped, IntPtr.Zero);

        public SocketError Receive(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred, ref SocketFlags flags, IntPtr overlapped)
        {
            int nativeFlags = (int)flags;
            int result = WSARecv(socket, buffers, bufferCount, out bytesTransferred, ref nativeFlags, overlapped, IntPtr.Zero);
            flags = (SocketFlags)nativeFlags;
            return (SocketError)result;
        }

        public bool CancelIoEx(IntPtr handle, IntPtr overlapped) => CancelIoExNative(handle, overlapped) != 0;

        public SocketError CloseSocket(IntPtr socket) => (SocketError)closesocket(socket);

        public SocketError GetLastError() => (SocketError)Marshal.GetLastWin32Error();

        public void OverlappedBlockAllocated(IntPtr overlapped, int size)
        {
        }

        public void OverlappedBlockFreeing(IntPtr overlapped)
        {
        }

        // Extension pointers are per provider; every socket here is TCP over the same provider.
        // On failure the WSAIoctl error stays the thread's last error for the caller to read.
        private (AcceptExFunction? AcceptEx, ConnectExFunction? ConnectEx) LoadExtensions(IntPtr socket)
        {
            lock (m_extensionGate)
            {
                if (m_acceptEx == null)
                {
                    IntPtr pointer = LoadExtension(socket, s_acceptExId);
                    if (pointer != IntPtr.Zero)
                    {
                        m_acceptEx = Marshal.GetDelegateForFunctionPointer<AcceptExFunction>(pointer);
                    }
                }

                if (m_connectEx == null)
                {
                    IntPtr pointer = LoadExtension(socket, s_connectExId);
                    if (pointer != IntPtr.Zero)
                    {
                        m_connectEx = Marshal.GetDelegateForFunctionPointer<ConnectExFunction>(pointer);
                    }
                }

                return (m_acceptEx, m_connectEx);
            }
        }

        private static IntPtr LoadExtension(IntPtr socket, Guid id)
        {
            int result = WSAIoctl(socket, SioGetExtensionFunctionPointer, ref id, Marshal.SizeOf<Guid>(), out IntPtr pointer, IntPtr.Size, out _, IntPtr.Zero, IntPtr.Zero);
            return result == 0 ? pointer : IntPtr.Zero;
        }

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int WSAStartup(ushort versionRequested, IntPtr wsaData);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern IntPtr WSASocketW(int addressFamily, int socketType, int protocol, IntPtr protocolInfo, uint group, uint flags);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int bind(IntPtr socket, IntPtr address, int addressLength);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int listen(IntPtr socket, int backlog);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int WSASend(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesSent, int flags, IntPtr overlapped, IntPtr completionRoutine);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int WSARecv(IntPtr socket, IntPtr buffers, int bufferCount, out int bytesReceived, ref int flags, IntPtr overlapped, IntPtr completionRoutine);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int WSAIoctl(IntPtr socket, int controlCode, ref Guid inBuffer, int inBufferSize, out IntPtr outBuffer, int outBufferSize, out int bytesReturned, IntPtr overlapped, IntPtr completionRoutine);

        [DllImport("ws2_32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int closesocket(IntPtr socket);

        [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern IntPtr CreateIoCompletionPort(IntPtr fileHandle, IntPtr existingCompletionPort, UIntPtr completionKey, uint numberOfConcurrentThreads);

        [DllImport("kernel32.dll", EntryPoint = "GetQueuedCompletionStatus", ExactSpelling = true, SetLastError = true)]
        private static extern int GetQueuedCompletionStatusNative(IntPtr completionPort, out uint bytesTransferred, out UIntPtr completionKey, out IntPtr overlapped, uint milliseconds);

        [DllImport("kernel32.dll", EntryPoint = "PostQueuedCompletionStatus", ExactSpelling = true, SetLastError = true)]
        private static extern int PostQueuedCompletionStatusNative(IntPtr completionPort, uint bytesTransferred, UIntPtr completionKey, IntPtr overlapped);

        [DllImport("kernel32.dll", EntryPoint = "CancelIoEx", ExactSpelling = true, SetLastError = true)]
        private static extern int CancelIoExNative(IntPtr handle, IntPtr overlapped);

        [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
        private static extern int CloseHandle(IntPtr handle);
    }
}
