namespace OverlappedAnalyzers.Tests.Infrastructure
{
    /// <summary>Seed-shaped classes for the OVL003/OVL005 tests (rewritten, not pasted).</summary>
    public static class TestSourcesLeak
    {
        /// <summary>
        /// The seed's overlapped: native block and a Normal GCHandle to itself made in the constructor, both freed
        /// by Free(), which Dispose calls when idle and the completion handler calls for a disposed instance.
        /// </summary>
        public const string SeedOverlapped = @"
using System;
using System.Runtime.InteropServices;

namespace Seed
{
    class SeedOverlapped : IDisposable
    {
        private const int Size = 40;
        private const int ManagedOverlappedOffset = 32;
        private IntPtr m_address;
        private GCHandle m_handle;

        public SeedOverlapped()
        {
            m_address = Marshal.AllocHGlobal(Size);
            Marshal.WriteIntPtr(m_address, IntPtr.Zero);
            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            Marshal.WriteIntPtr(m_address, ManagedOverlappedOffset, GCHandle.ToIntPtr(m_handle));
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

        public static SeedOverlapped CompleteOperation(IntPtr overlappedAddress)
        {
            var managed = Marshal.ReadIntPtr(overlappedAddress, ManagedOverlappedOffset);
            var overlapped = (SeedOverlapped)GCHandle.FromIntPtr(managed).Target;
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
}";
    }
}
