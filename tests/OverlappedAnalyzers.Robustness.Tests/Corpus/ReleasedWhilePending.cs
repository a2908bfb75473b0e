using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Corpus.Files
{
    // OVL007 shapes in the idioms real Win32 code uses: BOOL kept in ints, Winsock results compared with
    // SOCKET_ERROR, pattern matching on results, switch sections on the error, finally blocks, helpers.
    public static unsafe class PendingNative
    {
        public const int SOCKET_ERROR = -1;
        public const int ERROR_IO_PENDING = 997;

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern int ReadFile(IntPtr file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool DeviceIoControl(IntPtr device, int code, IntPtr input, int inputLength, IntPtr output, int outputLength, IntPtr returned, NativeOverlapped* overlapped);

        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern int WSASend(IntPtr socket, IntPtr buffers, int count, out int sent, int flags, NativeOverlapped* overlapped, IntPtr routine);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool GetOverlappedResult(IntPtr file, NativeOverlapped* overlapped, out int transferred, bool wait);
    }

    public delegate bool ConnectExFunction(IntPtr socket, IntPtr address, int length, IntPtr send, int sendLength, out int sent, IntPtr overlapped);

    public sealed unsafe class PendingFile : IDisposable
    {
        private readonly ThreadPoolBoundHandle m_handle;
        private readonly IntPtr m_file;

        public PendingFile(ThreadPoolBoundHandle handle, IntPtr file)
        {
            m_handle = handle;
            m_file = file;
        }

        // Bug: BOOL in an int, freed on 0 before the error is asked.
        public void ReadBuggy(byte* data, int length)
        {
            NativeOverlapped* native = m_handle.AllocateNativeOverlapped(static (e, n, p) => { }, null, null);
            int ok = PendingNative.ReadFile(m_file, data, length, IntPtr.Zero, native);
            if (ok is 0)
            {
                m_handle.FreeNativeOverlapped(native);
            }
        }

        // Correct: a switch on the error, pending left to the callback.
        public void ReadSwitch(byte* data, int length)
        {
            NativeOverlapped* native = m_handle.AllocateNativeOverlapped(static (e, n, p) => { }, null, null);
            if (PendingNative.ReadFile(m_file, data, length, IntPtr.Zero, native) == 0)
            {
                var outcome = Marshal.GetLastWin32Error() switch
                {
                    PendingNative.ERROR_IO_PENDING => "pending",
                    _ => Fail(native),
                };
                Console.WriteLine(outcome);
            }
        }

        // Bug: known pending, freed by an unconditional finally.
        public void Control(IntPtr output)
        {
            NativeOverlapped* native = m_handle.AllocateNativeOverlapped(static (e, n, p) => { }, null, null);
            try
            {
                if (!PendingNative.DeviceIoControl(m_file, 1, IntPtr.Zero, 0, output, 16, IntPtr.Zero, native)
                    && Marshal.GetLastWin32Error() is PendingNative.ERROR_IO_PENDING)
                {
                    return;
                }
            }
            finally
            {
                m_handle.FreeNativeOverlapped(native);
            }
        }

        // Correct: waits for the completion before the finally frees.
        public int ControlAndWait(IntPtr output)
        {
            NativeOverlapped* native = m_handle.AllocateNativeOverlapped(static (e, n, p) => { }, null, null);
            try
            {
                if (!PendingNative.DeviceIoControl(m_file, 1, IntPtr.Zero, 0, output, 16, IntPtr.Zero, native))
                {
                    PendingNative.GetOverlappedResult(m_file, native, out var transferred, wait: true);
                    return transferred;
                }

                return 16;
            }
            finally
            {
                m_handle.FreeNativeOverlapped(native);
            }
        }

        private string Fail(NativeOverlapped* native)
        {
            m_handle.FreeNativeOverlapped(native);
            throw new IOException();
        }

        public void Dispose() => m_handle.Dispose();
    }

    public sealed unsafe class PendingSocket
    {
        private readonly Io.Overlapped m_out = new Io.Overlapped();
        private readonly ConnectExFunction m_connectEx;
        private NativeOverlapped* m_send;

        public PendingSocket(ConnectExFunction connectEx) => m_connectEx = connectEx;

        // Bug: a throw on SOCKET_ERROR reports a pending send as failed.
        public void Send(IntPtr socket, IntPtr buffers)
        {
            if (PendingNative.WSASend(socket, buffers, 1, out _, 0, m_send, IntPtr.Zero) == PendingNative.SOCKET_ERROR)
            {
                throw new SocketException(Marshal.GetLastWin32Error());
            }
        }

        // Correct: the helper returns quietly on pending.
        public void SendChecked(IntPtr socket, IntPtr buffers)
        {
            if (PendingNative.WSASend(socket, buffers, 1, out _, 0, m_send, IntPtr.Zero) != 0)
            {
                ThrowUnlessPending();
            }
        }

        // Bug: the convention overlapped completed on FALSE from a ConnectEx delegate.
        public void Connect(IntPtr socket, IntPtr address)
        {
            m_out.StartOperation(Io.OperationType.Connect);
            bool connected = m_connectEx(socket, address, 16, IntPtr.Zero, 0, out _, m_out.Address);
            if (!connected)
            {
                m_out.Complete();
            }
        }

        private static void ThrowUnlessPending()
        {
            var error = Marshal.GetLastWin32Error();
            if (error == PendingNative.ERROR_IO_PENDING)
            {
                return;
            }

            throw new SocketException(error);
        }
    }
}
