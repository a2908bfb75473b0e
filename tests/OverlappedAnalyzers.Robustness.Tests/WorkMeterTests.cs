using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Robustness.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OverlappedAnalyzers.Robustness.Tests
{
    /// <summary>The measure the other suites bound: opt-in, per run, and counting iterations, not just passes.</summary>
    public class WorkMeterTests
    {
        private readonly ITestOutputHelper output;

        public WorkMeterTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void OrdinaryOptions_CarryNoMeter()
        {
            Assert.Null(WorkMeter.Of(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)));
            Assert.Null(WorkMeter.Of(null));
            var meter = new WorkMeter();
            Assert.Same(meter, WorkMeter.Of(new MeteredAnalyzerOptions(ImmutableArray<AdditionalText>.Empty, meter)));
        }

        /// <summary>
        /// Straight-line code is one pass plus the reporting pass (2 visits per block); a loop's back edge sends its
        /// body round again until the state stops changing, and the meter sees those extra visits.
        /// </summary>
        [Fact]
        public void LoopBackEdges_CostExtraVisits_WithinTheLinearCeiling()
        {
            var straight = Run("Straight", "    m_ov.StartOperation(OperationType.Receive);\n" + Generated.FailureCheck("m_ov", "    "));
            var loop = Run("Loop", "    while (flags > 0)\n    {\n        m_ov.StartOperation(OperationType.Receive);\n" + Generated.FailureCheck("m_ov", "        ") + "        flags--;\n    }\n");

            Assert.True(straight.VisitsPerBlock <= 2.0, straight.ToString());
            Assert.True(loop.VisitsPerBlock > 2.0, loop.ToString());
            Assert.True(loop.VisitsPerBlock <= WorkBounds.MaxVisitsPerBlock, loop.ToString());
        }

        /// <summary>
        /// OVL003/005 graph a method that names a handle field but no allocator only when the type's decision can read
        /// it: a socket's <c>IntPtr m_handle</c> never receives an allocation, so Send and Shutdown are not analyzed;
        /// the buffer's <c>m_block</c> does, so Close, which frees it without naming an allocator, is.
        /// </summary>
        [Fact]
        public void OwnershipGraphs_OnlyForBlocksTheTypeDecisionCanRead()
        {
            const string source = @"using System;
using System.Runtime.InteropServices;

public sealed class Socket
{
    private IntPtr m_handle;

    public Socket(IntPtr handle) { m_handle = handle; }

    public int Send(byte[] data) => send(m_handle, data, data.Length, 0);

    public void Shutdown() { shutdown(m_handle, 2); m_handle = IntPtr.Zero; }

    public void Probe()
    {
        IntPtr scratch = Marshal.AllocHGlobal(16);
        Marshal.WriteInt32(scratch, 1);
        Marshal.FreeHGlobal(scratch);
    }

    [DllImport(""ws2_32.dll"")] private static extern int send(IntPtr s, byte[] buffer, int length, int flags);
    [DllImport(""ws2_32.dll"")] private static extern int shutdown(IntPtr s, int how);
}

public sealed class NativeBuffer : IDisposable
{
    private IntPtr m_block;
    private IntPtr m_peer;

    public void Open(int size) { m_block = Marshal.AllocHGlobal(size); }

    public void Dispose() { Marshal.FreeHGlobal(m_block); m_block = IntPtr.Zero; }

    public void Connect(IntPtr peer) { m_peer = peer; }
}
";
            var result = Harness.Run(new[] { new SourceFile("Handles.cs", source) }, HarnessOptions.AnalyzersOnly);
            Assert.True(result.IsClean, result.Describe());
            Assert.DoesNotContain(result.RuleDiagnostics, d => d.Id is "OVL003" or "OVL005");

            // Probe (allocates), Open (allocates) and Dispose (frees the stored member); not Send, Shutdown, the
            // Socket constructor or Connect, which only name members that never hold an allocation.
            var graphs = result.Work.Where(w => w.Solver == "OwnershipAnalysis" && w.Path == "Handles.cs").ToList();
            foreach (var graph in graphs)
            {
                output.WriteLine(graph.ToString());
            }

            Assert.Equal(3, graphs.Count);
        }

        /// <summary>The pending solver's work on the one method of a generated socket class.</summary>
        private GraphWork Run(string name, string body)
        {
            var source = Generated.SocketClass(name, $"        public void Receive(int flags)\n        {{\n{body}        }}");
            var result = Harness.Run(new[] { Corpus.Support, new SourceFile(name + ".cs", source) }, HarnessOptions.AnalyzersOnly);
            Assert.True(result.IsClean, result.Describe());
            Assert.Contains(result.RuleDiagnostics, d => d.Id == "OVL001" && d.Location.SourceTree!.FilePath == name + ".cs");
            var work = Assert.Single(result.Work, w => w.Solver == "PendingAnalysis" && w.Path == name + ".cs");
            output.WriteLine($"{name}: {work}");
            return work;
        }
    }
}
