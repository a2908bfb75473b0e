using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>Case (b): a type that creates overlapped fields must dispose them in its Dispose.</summary>
    public class Ovl004OwnerTests
    {
        private const string Lib = Ovl004Sources.AsyncIoOverlapped;

        [Fact]
        public Task DisposeForgetsOutOverlapped_Reports() => Ovl004Verify.DiagnosticsAsync(
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void {|#0:Dispose|}()
    {
        m_inOverlapped.Dispose();
    }
}" + Lib,
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments(
                "Socket.Dispose", "never disposes the overlapped field 'm_outOverlapped': its native block and GCHandle leak"));

        [Fact]
        public Task DisposeBoolForgetsBoth_ReportsEachFieldOnDisposeBool() => Ovl004Verify.DiagnosticsAsync(
            @"
using System;
using Io;

class Socket : IDisposable
{
    private Overlapped m_inOverlapped;
    private Overlapped m_outOverlapped;
    private bool m_disposed;

    public Socket()
    {
        m_inOverlapped = new Overlapped();
        m_outOverlapped = new Overlapped();
    }

    public void Dispose() => Dispose(true);

    protected virtual void {|#0:Dispose|}(bool disposing)
    {
        if (!m_disposed)
        {
            m_disposed = true;
            if (m_inOverlapped.InProgress) { }
        }
    }
}" + Lib,
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments("Socket.Dispose", "never disposes the overlapped field 'm_inOverlapped': its native block and GCHandle leak"),
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments("Socket.Dispose", "never disposes the overlapped field 'm_outOverlapped': its native block and GCHandle leak"));

        [Fact]
        public Task ExplicitIDisposableForgets_Reports() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Listener : IDisposable
{
    private readonly Overlapped m_acceptOverlapped = new Overlapped();
    void IDisposable.{|OVL004:Dispose|}() { }
}" + Lib);

        [Fact]
        public Task HelperThatOnlyReads_Reports() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    public void {|OVL004:Dispose|}() { Log(m_inOverlapped); }
    private static void Log(Overlapped overlapped) { Console.WriteLine(overlapped.InProgress); }
}" + Lib);

        [Fact]
        public Task InheritsDisposeAndNeverDisposesField_ReportsOnType() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

class Channel : IDisposable
{
    public void Dispose() { Dispose(true); }
    protected virtual void Dispose(bool disposing) { }
}

sealed class {|OVL004:Socket|} : Channel
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    public void Receive() { m_inOverlapped.StartOperation(); }
}" + Lib);

        [Fact]
        public Task PreAllocatedOverlappedNeverDisposed_Reports() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using System.Threading;

sealed class FileReader : IDisposable
{
    private readonly ThreadPoolBoundHandle m_handle;
    private readonly PreAllocatedOverlapped m_overlapped;

    public FileReader(ThreadPoolBoundHandle handle, IOCompletionCallback callback)
    {
        m_handle = handle;
        m_overlapped = new PreAllocatedOverlapped(callback, null, null);
    }

    public void {|OVL004:Dispose|}() { m_handle.Dispose(); }
}");

        [Fact]
        public Task PartialOwner_FieldsInOneFileDisposeInOther_Reports() => Ovl004Verify.DiagnosticsAsync(
            @"
using Io;

sealed partial class Socket
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();
}" + Lib,
            @"
using System;

sealed partial class Socket : IDisposable
{
    public void {|OVL004:Dispose|}() { m_inOverlapped.Dispose(); }
}");

        // ---- silent ----

        [Fact]
        public Task ThreadingOverlappedTypesAreNotDisposable_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using System.Threading;

sealed class Port : IDisposable
{
    private NativeOverlapped m_native = new NativeOverlapped();
    private System.Threading.Overlapped m_managed = new System.Threading.Overlapped();
    public void Dispose() { }
}");

        [Fact]
        public Task SeedSocketDisposeBoolDisposesBoth_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private Overlapped m_inOverlapped;
    private Overlapped m_outOverlapped;
    private Socket? m_acceptSocket;
    private bool m_disposed;

    public Socket()
    {
        m_inOverlapped = new Overlapped();
        m_outOverlapped = new Overlapped();
    }

    ~Socket() { Dispose(false); }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private void Dispose(bool disposing)
    {
        if (!m_disposed)
        {
            m_disposed = true;

            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();

            if (m_acceptSocket != null)
                m_acceptSocket.Dispose();
        }
    }
}" + Lib);

        [Fact]
        public Task ConditionalAccessCastAndHelperDispose_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private Overlapped? m_a = new Overlapped();
    private readonly Overlapped m_b = new Overlapped();
    private readonly Overlapped m_c = new Overlapped();
    private readonly Overlapped m_d = new Overlapped();

    public void Dispose()
    {
        m_a?.Dispose();
        ((IDisposable)m_b).Dispose();
        Release(m_c);
        Close();
    }

    private void Close() { m_d.Dispose(); }

    private static void Release(Overlapped overlapped) { overlapped.Dispose(); }
}" + Lib);

        [Fact]
        public Task DisposedThroughLocalCopy_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private Overlapped? m_in = new Overlapped();
    public void Dispose() { var overlapped = m_in; m_in = null; overlapped?.Dispose(); }
}" + Lib);

        [Fact]
        public Task BorrowedFieldNotCreatedHere_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

sealed class Operation : IDisposable
{
    private readonly Overlapped m_overlapped;
    public Operation(Overlapped overlapped) { m_overlapped = overlapped; }
    public void Dispose() { }
}" + Lib);

        [Fact]
        public Task FieldHandedToAPool_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using System.Collections.Generic;
using Io;

sealed class Socket : IDisposable
{
    private readonly List<Overlapped> m_pool = new List<Overlapped>();
    private readonly Overlapped m_in = new Overlapped();
    public Socket() { m_pool.Add(m_in); }
    public void Dispose() { foreach (var overlapped in m_pool) overlapped.Dispose(); }
}" + Lib);

        [Fact]
        public Task NotDisposableOwnerWithoutDispose_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using Io;

sealed class Socket
{
    private readonly Overlapped m_in = new Overlapped();
    public void Receive() { m_in.StartOperation(); }
}" + Lib);

        [Fact]
        public Task InheritedDisposeButOverrideDisposesField_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(@"
using System;
using Io;

class Channel : IDisposable
{
    public void Dispose() { OnClose(); }
    protected virtual void OnClose() { }
}

sealed class Socket : Channel
{
    private readonly Overlapped m_in = new Overlapped();
    protected override void OnClose() { m_in.Dispose(); }
}" + Lib);

        [Fact]
        public Task HalfTypedOwner_NoDiagnosticNoCrash() => Ovl004Verify.NoDiagnosticsInBrokenCodeAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlapped m_out = new Overlap
    public void Dispose() { m_in.Dispose(
}" + Lib);

        [Fact]
        public Task HalfTypedOwner_MissingFieldType_NoDiagnosticNoCrash() => Ovl004Verify.NoDiagnosticsInBrokenCodeAsync(@"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_in = new Overlapped();
    private readonly Overlappd m_out = new Overlappd();
    public void Dispose() { m_in.Dispose(); m_out.Dispos(); }
}" + Lib);
    }
}
