using System;
using System.Globalization;
using OverlappedAnalyzers.ReferenceSocket;
using OverlappedAnalyzers.ReferenceSocket.Simulation;
using Leaky = LeakySocket;

namespace OverlappedAnalyzers.ReferenceSocket.Benchmarks
{
    /// <summary>
    /// One million immediate resets through the reference socket and through the leaky sample,
    /// both on the simulated kernel, with the same seeded schedule. Prints resets per second and
    /// peak/final live counts side by side.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            int resets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
            const int Seed = 20190803;
            const int SampleEvery = 100;

            // Warm-up (JIT, dictionaries) outside the measurement.
            RunReference(10_000, Seed + 1, SampleEvery);

            ResetStormResult reference = RunReference(resets, Seed, SampleEvery);
            var referenceKernel = s_lastKernel!;
            ResetStormResult leaky = RunLeaky(resets, Seed, SampleEvery);
            var leakyKernel = s_lastKernel!;

            Console.WriteLine($"Reset storm on the simulated kernel: {resets:N0} connections, seed {Seed}, all {Enum.GetValues<ResetScenario>().Length} interleavings");
            Console.WriteLine();
            Console.WriteLine($"{"",-34}{"reference (IocpSocket)",24}{"leaky sample",18}");
            Row("resets per second", reference.ConnectionsPerSecond.ToString("N0", CultureInfo.InvariantCulture), leaky.ConnectionsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            Row("elapsed", reference.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s", leaky.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s");
            Row("synchronous failures", SyncFailures(reference).ToString("N0", CultureInfo.InvariantCulture), SyncFailures(leaky).ToString("N0", CultureInfo.InvariantCulture));
            Row("peak live overlapped blocks", Net(reference.Peak.OverlappedBlocks, reference.Baseline.OverlappedBlocks), Net(leaky.Peak.OverlappedBlocks, leaky.Baseline.OverlappedBlocks));
            Row("peak live GCHandles", Net(reference.Peak.GCHandles, reference.Baseline.GCHandles), Net(leaky.Peak.GCHandles, leaky.Baseline.GCHandles));
            Row("peak live sockets", Net(reference.Peak.Sockets, reference.Baseline.Sockets), Net(leaky.Peak.Sockets, leaky.Baseline.Sockets));
            Row("final live overlapped blocks", Net(reference.Final.OverlappedBlocks, reference.Baseline.OverlappedBlocks), Net(leaky.Final.OverlappedBlocks, leaky.Baseline.OverlappedBlocks));
            Row("final live GCHandles", Net(reference.Final.GCHandles, reference.Baseline.GCHandles), Net(leaky.Final.GCHandles, leaky.Baseline.GCHandles));
            Row("final live sockets", Net(reference.Final.Sockets, reference.Baseline.Sockets), Net(leaky.Final.Sockets, leaky.Baseline.Sockets));
            Row("use-after-free reports", referenceKernel.UseAfterFreeCount.ToString(CultureInfo.InvariantCulture), leakyKernel.UseAfterFreeCount.ToString(CultureInfo.InvariantCulture));
            Row("managed heap after full GC", HeapAfterReference, FormatBytes(GC.GetTotalMemory(forceFullCollection: true)));
            return reference.Leaked.OverlappedBlocks == 0 && referenceKernel.UseAfterFreeCount == 0 ? 0 : 1;
        }

        private static SimulatedKernel? s_lastKernel;
        private static string HeapAfterReference = "";

        private static ResetStormResult RunReference(int resets, int seed, int sampleEvery)
        {
            var kernel = new SimulatedKernel();
            using var target = new ReferenceStormTarget(kernel);
            ResetStormResult result = new ResetStorm<IocpSocket>(target).Run(resets, seed, sampleEvery: sampleEvery);
            s_lastKernel = kernel;
            HeapAfterReference = FormatBytes(GC.GetTotalMemory(forceFullCollection: true));
            return result;
        }

        private static ResetStormResult RunLeaky(int resets, int seed, int sampleEvery)
        {
            var kernel = new SimulatedKernel();
            using var target = new Leaky.LeakyStormTarget(kernel);
            ResetStormResult result = new ResetStorm<Leaky.LeakySocket>(target).Run(resets, seed, sampleEvery: sampleEvery);
            s_lastKernel = kernel;
            return result;
        }

        private static int SyncFailures(ResetStormResult result) =>
            result.SynchronousFailures(OperationKind.Accept) + result.SynchronousFailures(OperationKind.Connect)
            + result.SynchronousFailures(OperationKind.Send) + result.SynchronousFailures(OperationKind.Receive);

        private static string Net(long value, long baseline) => (value - baseline).ToString("N0", CultureInfo.InvariantCulture);

        private static string FormatBytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

        private static void Row(string label, string reference, string leaky) => Console.WriteLine($"{label,-34}{reference,24}{leaky,18}");
    }
}
