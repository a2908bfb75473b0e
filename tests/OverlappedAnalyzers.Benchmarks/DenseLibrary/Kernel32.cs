using System;
using System.Runtime.InteropServices;

namespace Dense.Sockets.Interop
{
    /// <summary>OVERLAPPED_ENTRY as GetQueuedCompletionStatusEx fills it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OverlappedEntry
    {
        public UIntPtr CompletionKey;
        public IntPtr Overlapped;
        public UIntPtr Internal;
        public int BytesTransferred;

        public static readonly int Size = Marshal.SizeOf<OverlappedEntry>();
    }

    internal static class Kernel32
    {
        public static readonly IntPtr INVALID_HANDLE_VALUE = new IntPtr(-1);
        public const int INFINITE = -1;
        public const int WAIT_TIMEOUT = 258;
        public const int ERROR_ABANDONED_WAIT_0 = 735;
        public const int ERROR_OPERATION_ABORTED = 995;
        public const int ERROR_NETNAME_DELETED = 64;

        public const byte FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
        public const byte FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern IntPtr CreateIoCompletionPort(IntPtr fileHandle, IntPtr existingPort, UIntPtr completionKey, int concurrentThreads);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool GetQueuedCompletionStatusEx(IntPtr port, IntPtr entries, int count, out int removed, int milliseconds, bool alertable);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool PostQueuedCompletionStatus(IntPtr port, int bytes, UIntPtr completionKey, IntPtr overlapped);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool CloseHandle(IntPtr handle);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool CancelIoEx(IntPtr handle, IntPtr overlapped);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool SetFileCompletionNotificationModes(IntPtr handle, byte flags);
    }
}
