namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>Overlapped types shared by the OVL004 tests. All of them are correct (no OVL004 of their own).</summary>
    internal static class Ovl004Sources
    {
        /// <summary>
        /// The seed's AsyncIO shape, which is correct: Dispose defers while in progress and the static completion
        /// handler frees an instance it finds disposed.
        /// </summary>
        public const string AsyncIoOverlapped = @"
namespace Io
{
    using System;
    using System.Runtime.InteropServices;

    public sealed class Overlapped : IDisposable
    {
        private const int ManagedOffset = 32;
        private readonly IntPtr m_address;
        private GCHandle m_handle;

        public Overlapped()
        {
            m_address = Marshal.AllocHGlobal(40);
            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            Marshal.WriteIntPtr(m_address, ManagedOffset, GCHandle.ToIntPtr(m_handle));
        }

        public IntPtr Address => m_address;
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }

        public void StartOperation() { InProgress = true; }
        public void Complete() { InProgress = false; }

        public void Dispose()
        {
            if (!InProgress)
            {
                Free();
            }

            Disposed = true;
        }

        public static Overlapped CompleteOperation(IntPtr address)
        {
            var managed = Marshal.ReadIntPtr(address, ManagedOffset);
            var overlapped = (Overlapped)GCHandle.FromIntPtr(managed).Target!;
            overlapped.Complete();
            if (overlapped.Disposed)
            {
                overlapped.Free();
            }

            return overlapped;
        }

        private void Free()
        {
            Marshal.FreeHGlobal(m_address);
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
            }
        }
    }
}
";
    }
}
