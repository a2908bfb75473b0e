using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Net;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Xunit;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    public sealed class LiveResourcesMeterTests
    {
        [Fact]
        public void Gauges_are_published_under_the_documented_names_and_follow_the_live_counts()
        {
            Dictionary<string, long> before = Read();
            Assert.Equal(
                new[] { LiveResources.GCHandlesInstrument, LiveResources.OverlappedBlocksInstrument, LiveResources.SocketsInstrument },
                new SortedSet<string>(before.Keys));
            Assert.Equal("OverlappedAnalyzers.ReferenceSocket", LiveResources.MeterName);
            Assert.Equal("reference_socket.live_overlapped_blocks", LiveResources.OverlappedBlocksInstrument);
            Assert.Equal("reference_socket.live_gc_handles", LiveResources.GCHandlesInstrument);
            Assert.Equal("reference_socket.live_sockets", LiveResources.SocketsInstrument);

            var kernel = new SimulatedKernel();
            using var port = new CompletionPort(kernel);
            var socket = new IocpSocket(port);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Dictionary<string, long> during = Read();
            Assert.Equal(before[LiveResources.SocketsInstrument] + 1, during[LiveResources.SocketsInstrument]);
            Assert.Equal(before[LiveResources.OverlappedBlocksInstrument] + 2, during[LiveResources.OverlappedBlocksInstrument]);
            Assert.Equal(before[LiveResources.GCHandlesInstrument] + 2, during[LiveResources.GCHandlesInstrument]);

            socket.Dispose();
            Assert.Equal(before, Read());
        }

        private static Dictionary<string, long> Read()
        {
            _ = LiveResources.Meter;
            var values = new Dictionary<string, long>();
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == LiveResources.MeterName)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => values[instrument.Name] = value);
            listener.Start();
            listener.RecordObservableInstruments();
            return values;
        }
    }
}
