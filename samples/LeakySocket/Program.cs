using System;
using OverlappedAnalyzers.ReferenceSocket;
using OverlappedAnalyzers.ReferenceSocket.Simulation;

namespace LeakySocket
{
    /// <summary>Runs a short reset storm on the simulated kernel and shows the live counts growing.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            int rounds = args.Length > 0 && int.TryParse(args[0], out int parsed) ? parsed : 5;
            const int ConnectionsPerRound = 2_000;
            var kernel = new SimulatedKernel();
            using var target = new LeakyStormTarget(kernel);
            var storm = new ResetStorm<LeakySocket>(target);

            Console.WriteLine("LeakySocket: the incident's socket under a reset storm (simulated kernel)");
            Console.WriteLine("round  resets  sync-failures  live-blocks  live-gchandles  live-sockets");
            int total = 0;
            int syncFailures = 0;
            for (int round = 1; round <= rounds; round++)
            {
                ResetStormResult result = storm.Run(ConnectionsPerRound, seed: round);
                total += result.Connections;
                syncFailures += result.SynchronousFailures(OperationKind.Receive) + result.SynchronousFailures(OperationKind.Send) + result.SynchronousFailures(OperationKind.Connect);
                LiveCounts live = target.ReadLiveCounts();
                Console.WriteLine($"{round,5}  {total,6}  {syncFailures,13}  {live.OverlappedBlocks,11}  {live.GCHandles,14}  {live.Sockets,12}");
            }

            Console.WriteLine("Every socket was disposed, yet one OVERLAPPED block and one GCHandle per synchronous failure stay alive:");
            Console.WriteLine("Send/Accept/Connect throw without Complete() (OVL001); Receive completes m_outOverlapped (OVL002).");
            Console.WriteLine($"Use-after-free reports from the simulated kernel: {kernel.UseAfterFreeCount}");
            return 0;
        }
    }
}
