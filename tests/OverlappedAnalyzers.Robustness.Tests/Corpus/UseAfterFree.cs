using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Corpus.Files
{
    // OVL008 shapes: completion callbacks as methods, lambdas and local functions; pointers, handles, copies.
    public static unsafe class FreedNative
    {
        [DllImport("ws2_32.dll", SetLastError = true)]
        public static extern bool WSAGetOverlappedResult(IntPtr socket, NativeOverlapped* overlapped, out int transferred, bool wait, out int flags);
    }

    public sealed unsafe class FreedCallbacks
    {
        private readonly ThreadPoolBoundHandle m_handle;
        private readonly IntPtr m_socket;
        private GCHandle m_pin;

        public FreedCallbacks(ThreadPoolBoundHandle handle, IntPtr socket)
        {
            m_handle = handle;
            m_socket = socket;
        }

        // Bug: freed, then asked about.
        public void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
            m_handle.FreeNativeOverlapped(overlapped);
            if (errorCode != 0)
            {
                FreedNative.WSAGetOverlappedResult(m_socket, overlapped, out _, false, out _);
            }
        }

        // Correct: asked about, then freed.
        public void OnCompletedCorrectly(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
        {
            if (errorCode != 0)
            {
                FreedNative.WSAGetOverlappedResult(m_socket, overlapped, out _, false, out _);
            }

            m_handle.FreeNativeOverlapped(overlapped);
        }

        public NativeOverlapped* StartWithLambda(byte[] buffer) =>
            new Overlapped().Pack((errorCode, numBytes, native) =>
            {
                var result = Overlapped.Unpack(native).AsyncResult;
                Overlapped.Free(native);
                _ = native->InternalLow; // Bug: dereferenced after the free.
                Console.WriteLine(result);
            }, buffer);

        public NativeOverlapped* StartWithLocalFunction()
        {
            return m_handle.AllocateNativeOverlapped(Done, null, null);

            void Done(uint errorCode, uint numBytes, NativeOverlapped* native)
            {
                m_handle.FreeNativeOverlapped(native);
                var state = ThreadPoolBoundHandle.GetNativeOverlappedState(native); // Bug.
                Console.WriteLine(state);
            }
        }

        public object? Unpin(byte[] data, bool twice)
        {
            m_pin = GCHandle.Alloc(data, GCHandleType.Pinned);
            var copy = m_pin;
            m_pin.Free();
            if (twice)
            {
                copy.Free(); // A double free, but the field is re-assigned in this method: the copy is not trusted, silent.
            }

            m_pin = GCHandle.Alloc(data);
            return m_pin.Target;
        }

        public int Scratch(int size)
        {
            byte* block = (byte*)NativeMemory.AllocZeroed((nuint)size);
            using var cleanup = new Cleanup(() => Console.WriteLine(size));
            block[0] = 1;
            var first = block[0];
            NativeMemory.Free(block);
            block = null;
            return first + (block == null ? 0 : 1);
        }

        private sealed class Cleanup : IDisposable
        {
            private readonly Action m_action;

            public Cleanup(Action action) => m_action = action;

            public void Dispose() => m_action();
        }
    }
}
