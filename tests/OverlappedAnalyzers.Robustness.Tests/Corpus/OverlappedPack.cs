using System;
using System.Runtime.InteropServices;
using System.Threading;
using Io;

namespace Corpus.Files
{
    public static unsafe class PackedIo
    {
        public static void Read(IntPtr file, byte[] buffer)
        {
            var managed = new System.Threading.Overlapped();
            NativeOverlapped* native = managed.Pack(Completed, buffer);
            fixed (byte* p = buffer)
            {
                if (!Native.ReadFile(file, p, buffer.Length, out _, native))
                {
                    var error = Marshal.GetLastWin32Error();
                    if (error != Native.ERROR_IO_PENDING)
                    {
                        return;
                    }
                }
            }
        }

        public static void ReadUnsafe(IntPtr file, byte[] buffer)
        {
            NativeOverlapped* native = new System.Threading.Overlapped().UnsafePack(Completed, buffer);
            fixed (byte* p = buffer)
            {
                if (!Native.ReadFile(file, p, buffer.Length, out _, native))
                {
                    if (Marshal.GetLastWin32Error() is not 997)
                    {
                        System.Threading.Overlapped.Free(native);
                        throw new InvalidOperationException();
                    }
                }
            }
        }

        private static void Completed(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
            System.Threading.Overlapped.Unpack(overlapped);
            System.Threading.Overlapped.Free(overlapped);
        }
    }
}
