using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Model;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.Host
{
    /// <summary>
    /// The compilation-start fast path, observed the way the host sees it: the driver's telemetry counts the
    /// actions each analyzer registered. Code without overlapped I/O must cost one compilation-start action and
    /// nothing else; code with it must get the per-tree and per-type actions the rules need.
    /// </summary>
    public class FastPathRegistrationTests
    {
        private const string OrdinaryCode = @"
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Shop
{
    public sealed record Order(int Id, decimal Total);

    public sealed class OrderRepository : IDisposable
    {
        private readonly List<Order> m_orders = new List<Order>();
        private readonly StreamWriter m_log = new StreamWriter(new MemoryStream());

        public IEnumerable<Order> Large(decimal limit) => m_orders.Where(o => o.Total > limit).OrderBy(o => o.Id);

        public async Task<int> SaveAsync(Order order)
        {
            if (order.Total < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(order));
            }

            m_orders.Add(order);
            await m_log.WriteLineAsync(order.ToString());
            return m_orders.Count;
        }

        public void Dispose() => m_log.Dispose();
    }
}";

        private const string LeakyCode = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Io;

class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();

    public void Receive(IntPtr handle)
    {
        m_inOverlapped.StartOperation(OperationType.Receive);
        if (Native.WSARecv(handle, IntPtr.Zero, m_inOverlapped.Address) != SocketError.IOPending)
        {
            throw new SocketException();
        }
    }
}";

        public static IEnumerable<object[]> Analyzers() => new[]
        {
            new object[] { new SyncFailureAnalyzer() },
            new object[] { new HandleLeakAnalyzer() },
            new object[] { new DisposeAnalyzer() },
            new object[] { new PrematureReleaseAnalyzer() },
            new object[] { new UseAfterFreeAnalyzer() },
        };

        [Theory]
        [MemberData(nameof(Analyzers))]
        public async Task CodeWithoutOverlappedIo_RegistersNothingAfterCompilationStart(DiagnosticAnalyzer analyzer)
        {
            Compilation compilation = await HostCompilation.CreateAsync(("Orders.cs", OrdinaryCode), ("More.cs", OrdinaryCode.Replace("Shop", "Shop2")));

            AnalyzerTelemetryInfo telemetry = await TelemetryAsync(compilation, analyzer);

            Assert.Equal(1, telemetry.CompilationStartActionsCount);
            Assert.Equal(0, ActionsRegisteredAfterStart(telemetry));
        }

        [Fact]
        public async Task OverlappedCode_GetsPerTreeAndPerTypeActions()
        {
            Compilation compilation = await HostCompilation.CreateAsync(("Orders.cs", OrdinaryCode), ("Io.cs", TestSources.Overlapped), ("Socket.cs", LeakyCode));

            Assert.Equal(1, (await TelemetryAsync(compilation, new SyncFailureAnalyzer())).SemanticModelActionsCount);
            Assert.Equal(1, (await TelemetryAsync(compilation, new HandleLeakAnalyzer())).SymbolStartActionsCount);
            Assert.Equal(1, (await TelemetryAsync(compilation, new DisposeAnalyzer())).SymbolStartActionsCount);
        }

        [Fact]
        public async Task IoAndFreeingCode_GetsOnePerTreeActionFromTheLifetimeRules()
        {
            Compilation compilation = await HostCompilation.CreateAsync(("Orders.cs", OrdinaryCode), ("Io.cs", TestSources.Overlapped), ("Socket.cs", LeakyCode));

            Assert.Equal(1, (await TelemetryAsync(compilation, new PrematureReleaseAnalyzer())).SemanticModelActionsCount);
            Assert.Equal(1, (await TelemetryAsync(compilation, new UseAfterFreeAnalyzer())).SemanticModelActionsCount);
        }

        [Fact]
        public async Task LifetimeGates_OpenOnlyForTheirOwnNames()
        {
            const string freesOnly = @"
using System;
using System.Runtime.InteropServices;
class Scratch
{
    public void Use() { IntPtr block = Marshal.AllocHGlobal(8); Marshal.FreeHGlobal(block); }
}";
            const string readsOnly = @"
using System;
using System.Runtime.InteropServices;
static class Files
{
    [DllImport(""kernel32.dll"")] public static extern bool ReadFile(IntPtr file, IntPtr buffer, int count, IntPtr read, IntPtr overlapped);
}";
            Compilation frees = await HostCompilation.CreateAsync(("Orders.cs", OrdinaryCode), ("Scratch.cs", freesOnly));
            Compilation reads = await HostCompilation.CreateAsync(("Orders.cs", OrdinaryCode), ("Files.cs", readsOnly));

            Assert.Equal(0, ActionsRegisteredAfterStart(await TelemetryAsync(frees, new PrematureReleaseAnalyzer())));
            Assert.Equal(1, (await TelemetryAsync(frees, new UseAfterFreeAnalyzer())).SemanticModelActionsCount);
            Assert.Equal(1, (await TelemetryAsync(reads, new PrematureReleaseAnalyzer())).SemanticModelActionsCount);
            Assert.Equal(0, ActionsRegisteredAfterStart(await TelemetryAsync(reads, new UseAfterFreeAnalyzer())));
        }

        [Fact]
        public async Task OnlyTypesThatNameAnAllocator_AreAnalyzedForHandleLeaks()
        {
            const string mixed = @"
using System;
using System.Runtime.InteropServices;

class Pinner
{
    private GCHandle m_pin;
    public void Pin(byte[] buffer) { m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned); }
    public void Unpin() { if (m_pin.IsAllocated) { m_pin.Free(); } }
}

class Counter
{
    private IntPtr m_handle;
    public int Count(int[] values) { m_handle = IntPtr.Zero; return values.Length; }
}

class Summer
{
    public int Sum(int[] values) { int total = 0; foreach (var v in values) { total += v; } return total; }
}";
            Compilation compilation = await HostCompilation.CreateAsync(("Mixed.cs", mixed));
            var trees = TreeGate.Create(compilation, NativeAllocations.GateNames, CancellationToken.None);

            // The tree names an allocator, but only Pinner's own declaration does: Counter (an IntPtr field) and
            // Summer get no per-member work from the handle rules.
            Assert.False(trees.IsEmpty);
            Assert.True(Mentions(compilation, trees, "Pinner"));
            Assert.False(Mentions(compilation, trees, "Counter"));
            Assert.False(Mentions(compilation, trees, "Summer"));
        }

        private static bool Mentions(Compilation compilation, TreeGate trees, string typeName) =>
            trees.Mentions(compilation.GetTypeByMetadataName(typeName)!.DeclaringSyntaxReferences, NativeAllocations.GateNames, CancellationToken.None);

        [Fact]
        public async Task AConfiguredPair_OpensTheGateForItsStartName()
        {
            const string session = @"
class Session { public void Begin() { } public void End() { } }
class User
{
    private readonly Session m_session = new Session();
    public void Run(int error) { m_session.Begin(); if (error != 997) { throw new System.Exception(); } }
}";
            Compilation compilation = await HostCompilation.CreateAsync(("Session.cs", session));
            var options = new TestAnalyzerConfigOptions(("overlapped_analyzers.operation_pairs", "Session.Begin:End")).ToAnalyzerOptions();

            Assert.Equal(0, (await TelemetryAsync(compilation, new SyncFailureAnalyzer())).SemanticModelActionsCount);
            AnalyzerTelemetryInfo configured = await TelemetryAsync(compilation, new SyncFailureAnalyzer(), options);
            Assert.Equal(1, configured.SemanticModelActionsCount);
        }

        private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(Compilation compilation, DiagnosticAnalyzer analyzer, AnalyzerOptions? options = null)
        {
            var exceptions = new List<string>();
            CompilationWithAnalyzers host = HostCompilation.WithAnalyzers(compilation, new[] { analyzer }, options, exceptions);
            await host.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            Assert.Empty(exceptions);
            return await host.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        }

        private static int ActionsRegisteredAfterStart(AnalyzerTelemetryInfo t) =>
            t.CompilationEndActionsCount + t.CompilationActionsCount + t.SyntaxTreeActionsCount + t.AdditionalFileActionsCount
            + t.SemanticModelActionsCount + t.SymbolActionsCount + t.SymbolStartActionsCount + t.SymbolEndActionsCount
            + t.SyntaxNodeActionsCount + t.CodeBlockStartActionsCount + t.CodeBlockEndActionsCount + t.CodeBlockActionsCount
            + t.OperationActionsCount + t.OperationBlockStartActionsCount + t.OperationBlockEndActionsCount + t.OperationBlockActionsCount
            + t.SuppressionActionsCount;
    }
}
