using System;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;

namespace AsyncIoLike.Files
{
    [SupportedOSPlatform("windows")]
    internal sealed unsafe class LegacyFileReader
    {
        private const int ErrorIoPending = 997;

        private readonly IntPtr m_file;

        public LegacyFileReader(IntPtr file)
        {
            m_file = file;
        }

        public bool TryRead(byte[] buffer, IOCompletionCallback callback)
        {
            var managed = new Overlapped();
            NativeOverlapped* native = managed.Pack(callback, buffer);
            fixed (byte* bytes = buffer)
            {
                if (!ReadFile(m_file, bytes, buffer.Length, IntPtr.Zero, native))
                {
                    int error = Marshal.GetLastWin32Error();
                    if (error != ErrorIoPending)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        public static void Release(NativeOverlapped* native)
        {
            Overlapped.Free(native);
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern bool ReadFile(IntPtr file, byte* buffer, int count, IntPtr bytesRead, NativeOverlapped* overlapped);
    }
}
