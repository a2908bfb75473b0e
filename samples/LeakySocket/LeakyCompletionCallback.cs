using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace LeakySocket
{
    /// <summary>
    /// A completion callback for ThreadPoolBoundHandle I/O. Not used by the storm: it is here so the build shows
    /// OVL008, the shape found in public IOCP code — the callback frees its NativeOverlapped first, then asks
    /// WSAGetOverlappedResult about it on the error path, reading an OVERLAPPED the next operation may already own.
    /// </summary>
    public static unsafe class LeakyCompletionCallback
    {
        public sealed class ReceiveState
        {
            public ReceiveState(ThreadPoolBoundHandle handle, IntPtr socket)
            {
                Handle = handle;
                Socket = socket;
            }

            public ThreadPoolBoundHandle Handle { get; }

            public IntPtr Socket { get; }

            public SocketError LastError { get; set; }
        }

        public static void OnReceived(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
            var state = (ReceiveState)ThreadPoolBoundHandle.GetNativeOverlappedState(overlapped)!;
            state.Handle.FreeNativeOverlapped(overlapped);
            if (errorCode != 0)
            {
                // BUG (OVL008): 'overlapped' went back to the pool on the line above.
                WSAGetOverlappedResult(state.Socket, overlapped, out _, false, out _);
                state.LastError = (SocketError)Marshal.GetLastWin32Error();
            }
        }

        [DllImport("ws2_32.dll", SetLastError = true)]
        private static extern bool WSAGetOverlappedResult(IntPtr socket, NativeOverlapped* overlapped, out int transferred, bool wait, out SocketFlags flags);
    }
}
