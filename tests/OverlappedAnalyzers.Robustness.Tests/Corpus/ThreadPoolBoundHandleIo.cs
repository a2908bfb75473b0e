using System;
using System.Runtime.InteropServices;
using System.Threading;
using Io;

namespace Corpus.Files
{
    public sealed unsafe class BoundFile : IDisposable
    {
        private readonly ThreadPoolBoundHandle m_bound;
        private readonly IntPtr m_file;
        private readonly byte[] m_buffer = new byte[4096];

        public BoundFile(System.Runtime.InteropServices.SafeHandle handle, IntPtr file)
        {
            m_bound = ThreadPoolBoundHandle.BindHandle(handle);
            m_file = file;
        }

        public void Read()
        {
            NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(OnCompleted, null, m_buffer);
            fixed (byte* p = m_buffer)
            {
                if (!Native.ReadFile(m_file, p, m_buffer.Length, out _, overlapped))
                {
                    int error = Marshal.GetLastWin32Error();
                    if (error != Native.ERROR_IO_PENDING)
                    {
                        throw new System.ComponentModel.Win32Exception(error);
                    }
                }
            }
        }

        public void ReadCorrect()
        {
            var overlapped = m_bound.UnsafeAllocateNativeOverlapped(OnCompleted, this, m_buffer);
            fixed (byte* p = &m_buffer[0])
            {
                if (!Native.ReadFile(m_file, p, m_buffer.Length, out _, overlapped))
                {
                    var error = Marshal.GetLastWin32Error();
                    if (error != 997)
                    {
                        m_bound.FreeNativeOverlapped(overlapped);
                        throw new System.ComponentModel.Win32Exception(error);
                    }
                }
            }
        }

        private void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
            m_bound.FreeNativeOverlapped(overlapped);
        }

        public void Dispose() => m_bound.Dispose();
    }
}
