using System;
using System.Runtime.InteropServices;

namespace Corpus.Deferral
{
    public sealed class DeferringOverlapped : IDisposable
    {
        private readonly GCHandle m_self;
        private IntPtr m_native = Marshal.AllocHGlobal(32);

        public DeferringOverlapped()
        {
            m_self = GCHandle.Alloc(this, GCHandleType.Normal);
        }

        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }

        public void StartOperation() => InProgress = true;

        public void Complete() => InProgress = false;

        public static void CompleteOperation(IntPtr overlapped)
        {
            var target = (DeferringOverlapped?)GCHandle.FromIntPtr(overlapped).Target;
            if (target is null)
            {
                return;
            }

            target.Complete();
            if (target.Disposed)
            {
                target.Free();
            }
        }

        public void Dispose()
        {
            if (!InProgress)
            {
                Free();
            }

            Disposed = true;
        }

        private void Free()
        {
            Marshal.FreeHGlobal(m_native);
            m_native = IntPtr.Zero;
            if (m_self.IsAllocated)
            {
                m_self.Free();
            }
        }
    }

    public sealed class NeverFreesOverlapped : IDisposable
    {
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }
        public void StartOperation() => InProgress = true;
        public void Complete() => InProgress = false;
        public void Dispose()
        {
            if (InProgress)
            {
                Disposed = true;
                return;
            }
        }
    }

    public sealed class OwnerOfOverlapped : IDisposable
    {
        private readonly Io.Overlapped m_in = new Io.Overlapped();
        private readonly Io.Overlapped m_out = new Io.Overlapped();

        public void Dispose()
        {
            m_in.Dispose();
        }
    }
}
