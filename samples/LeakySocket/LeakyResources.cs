using System.Diagnostics.Metrics;
using System.Threading;

namespace LeakySocket
{
    /// <summary>The leaky socket's live counts, with the same instrument names as the reference socket's meter.</summary>
    public static class LeakyResources
    {
        public const string MeterName = "OverlappedAnalyzers.LeakySocket";

        private static long s_overlappedBlocks;
        private static long s_gcHandles;
        private static long s_sockets;

        private static readonly Meter s_meter = CreateMeter();

        public static long OverlappedBlocks => Interlocked.Read(ref s_overlappedBlocks);

        public static long GCHandles => Interlocked.Read(ref s_gcHandles);

        public static long Sockets => Interlocked.Read(ref s_sockets);

        public static Meter Meter => s_meter;

        internal static void BlockAllocated() => Interlocked.Increment(ref s_overlappedBlocks);

        internal static void BlockFreed() => Interlocked.Decrement(ref s_overlappedBlocks);

        internal static void HandleAllocated() => Interlocked.Increment(ref s_gcHandles);

        internal static void HandleFreed() => Interlocked.Decrement(ref s_gcHandles);

        internal static void SocketOpened() => Interlocked.Increment(ref s_sockets);

        internal static void SocketClosed() => Interlocked.Decrement(ref s_sockets);

        private static Meter CreateMeter()
        {
            var meter = new Meter(MeterName, "1.0");
            meter.CreateObservableGauge("reference_socket.live_overlapped_blocks", () => OverlappedBlocks, "{block}");
            meter.CreateObservableGauge("reference_socket.live_gc_handles", () => GCHandles, "{handle}");
            meter.CreateObservableGauge("reference_socket.live_sockets", () => Sockets, "{socket}");
            return meter;
        }
    }
}
