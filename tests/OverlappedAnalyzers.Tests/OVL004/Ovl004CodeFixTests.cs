using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>The owner-case fix: dispose the forgotten field in Dispose. Exact fixed code; Fix All is checked by the framework.</summary>
    public class Ovl004CodeFixTests
    {
        private const string Lib = Ovl004Sources.AsyncIoOverlapped;

        [Fact]
        public Task ReadonlyField_AppendsDisposeCall() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void {|OVL004:Dispose|}()
    {
        m_inOverlapped.Dispose();
    }
}" + Lib,
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Dispose()
    {
        m_inOverlapped.Dispose();
        m_outOverlapped.Dispose();
    }
}" + Lib);

        [Fact]
        public Task DisposeBool_NonReadonlyField_InsertsNullConditionalInsideIfDisposing() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

class Socket : IDisposable
{
    private Overlapped m_inOverlapped = new Overlapped();
    private Overlapped m_outOverlapped = new Overlapped();
    private bool m_disposed;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void {|OVL004:Dispose|}(bool disposing)
    {
        if (m_disposed)
        {
            return;
        }

        if (disposing)
        {
            m_inOverlapped.Dispose();
        }

        m_disposed = true;
    }
}" + Lib,
            @"
using System;
using Io;

class Socket : IDisposable
{
    private Overlapped m_inOverlapped = new Overlapped();
    private Overlapped m_outOverlapped = new Overlapped();
    private bool m_disposed;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (m_disposed)
        {
            return;
        }

        if (disposing)
        {
            m_inOverlapped.Dispose();
            m_outOverlapped?.Dispose();
        }

        m_disposed = true;
    }
}" + Lib);

        [Fact]
        public Task SeedShapedDisposedGuard_InsertsInsideTheGuard() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();
    private bool m_disposed;

    public void {|OVL004:Dispose|}()
    {
        if (!m_disposed)
        {
            m_disposed = true;
            m_inOverlapped.Dispose();
        }
    }
}" + Lib,
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();
    private bool m_disposed;

    public void Dispose()
    {
        if (!m_disposed)
        {
            m_disposed = true;
            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();
        }
    }
}" + Lib);

        [Fact]
        public Task ExpressionBodiedDispose_BecomesABlock() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void {|OVL004:Dispose|}() => m_inOverlapped.Dispose();
}" + Lib,
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Dispose()
    {
        m_inOverlapped.Dispose();
        m_outOverlapped.Dispose();
    }
}" + Lib);

        [Fact]
        public Task FixAll_TwoFieldsOfOneOwner() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void {|#0:Dispose|}()
    {
    }
}" + Lib,
            @"
using System;
using Io;

sealed class Socket : IDisposable
{
    private readonly Overlapped m_inOverlapped = new Overlapped();
    private readonly Overlapped m_outOverlapped = new Overlapped();

    public void Dispose()
    {
        m_inOverlapped.Dispose();
        m_outOverlapped.Dispose();
    }
}" + Lib,
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments("Socket.Dispose", "never disposes the overlapped field 'm_inOverlapped': its native block and GCHandle leak"),
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments("Socket.Dispose", "never disposes the overlapped field 'm_outOverlapped': its native block and GCHandle leak"));

        [Fact]
        public Task FixAll_TwoOwners() => Ovl004Verify.FixAsync(
            @"
using System;
using Io;

sealed class Sender : IDisposable
{
    private readonly Overlapped m_outOverlapped = new Overlapped();
    public void {|#0:Dispose|}() { }
}

sealed class Receiver : IDisposable
{
    private Overlapped? m_inOverlapped = new Overlapped();
    public void {|#1:Dispose|}()
    {
        Console.WriteLine(""closing"");
    }
}" + Lib,
            @"
using System;
using Io;

sealed class Sender : IDisposable
{
    private readonly Overlapped m_outOverlapped = new Overlapped();
    public void Dispose() { m_outOverlapped.Dispose(); }
}

sealed class Receiver : IDisposable
{
    private Overlapped? m_inOverlapped = new Overlapped();
    public void Dispose()
    {
        Console.WriteLine(""closing"");
        m_inOverlapped?.Dispose();
    }
}" + Lib,
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments("Sender.Dispose", "never disposes the overlapped field 'm_outOverlapped': its native block and GCHandle leak"),
            new DiagnosticResult(Descriptors.OVL004).WithLocation(1).WithArguments("Receiver.Dispose", "never disposes the overlapped field 'm_inOverlapped': its native block and GCHandle leak"));

        [Fact]
        public Task PartialOwner_FixEditsTheFileWithDispose() => Ovl004Verify.FixAsync(
            new[]
            {
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
    public void {|OVL004:Dispose|}()
    {
        m_inOverlapped.Dispose();
    }
}",
            },
            new[]
            {
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
    public void Dispose()
    {
        m_inOverlapped.Dispose();
        m_outOverlapped.Dispose();
    }
}",
            });

        [Fact]
        public Task DeferralCase_OffersNoFix() => Ovl004Verify.FixAsync(
            @"
using System;
using System.Runtime.InteropServices;

sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void {|OVL004:Dispose|}() { if (!InProgress) { Marshal.FreeHGlobal(m_address); } }
}",
            @"
using System;
using System.Runtime.InteropServices;

sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void {|OVL004:Dispose|}() { if (!InProgress) { Marshal.FreeHGlobal(m_address); } }
}");
    }
}
