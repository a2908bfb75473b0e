using System.Diagnostics.Metrics;
using System.Threading;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>
    /// Live-resource accounting for the reference socket, published as observable gauges on the
    /// <see cref="MeterName"/> meter. A healthy process returns to its baseline once every socket
    /// is disposed and its port drained; a leak shows as a gauge that only grows.
    /// </summary>
    public static class LiveResources
    {
        /// <summary>The meter's name: <c>OverlappedAnalyzers.ReferenceSocket</c>.</summary>
        public const string MeterName = "OverlappedAnalyzers.ReferenceSocket";

        /// <summary>Gauge: OVERLAPPED blocks allocated with Marshal.AllocHGlobal and not yet freed.</summary>
        public const string OverlappedBlocksInstrument = "reference_socket.live_overlapped_blocks";

        /// <summary>Gauge: GCHandles allocated (overlapped self-handles and buffer pins) and not yet freed.</summary>
        public const string GCHandlesInstrument = "reference_socket.live_gc_handles";

        /// <summary>Gauge: socket handles created and not yet closed.</summary>
        public const string SocketsInstrument = "reference_socket.live_sockets";

        private static long s_overlappedBlocks;
        private static long s_gcHandles;
        private static long s_sockets;

        private static readonly Meter s_meter = CreateMeter();

        /// <summary>OVERLAPPED blocks currently allocated.</summary>
        public static long OverlappedBlocks => Interlocked.Read(ref s_overlappedBlocks);

        /// <summary>GCHandles currently allocated.</summary>
        public static long GCHandles => Interlocked.Read(ref s_gcHandles);

        /// <summary>Socket handles currently open.</summary>
        public static long Sockets => Interlocked.Read(ref s_sockets);

        /// <summary>The meter, for hosts that want to hold on to it (the gauges are registered on first use of this type).</summary>
        public static Meter Meter => s_meter;

        internal static void OverlappedBlockAllocated() => Interlocked.Increment(ref s_overlappedBlocks);

        internal static void OverlappedBlockFreed() => Interlocked.Decrement(ref s_overlappedBlocks);

        internal static void GCHandleAllocated() => Interlocked.Increment(ref s_gcHandles);

        internal static void GCHandleFreed() => Interlocked.Decrement(ref s_gcHandles);

        internal static void SocketOpened() => Interlocked.Increment(ref s_sockets);

        internal static void SocketClosed() => Interlocked.Decrement(ref s_sockets);

        private static Meter CreateMeter()
        {
            var meter = new Meter(MeterName, "1.0");
            meter.CreateObservableGauge(OverlappedBlocksInstrument, () => OverlappedBlocks, "{block}", "OVERLAPPED blocks allocated and not yet freed");
            meter.CreateObservableGauge(GCHandlesInstrument, () => GCHandles, "{handle}", "GCHandles (overlapped self-handles and buffer pins) allocated and not yet freed");
            meter.CreateObservableGauge(SocketsInstrument, () => Sockets, "{socket}", "Socket handles created and not yet closed");
            return meter;
        }
    }
}
