using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>Case (a): Dispose defers the free while an operation is in progress; who frees a disposed one later?</summary>
    public class Ovl004DeferralTests
    {
        private const string Usings = @"
using System;
using System.Runtime.InteropServices;
";

        [Fact]
        public Task NotInProgressGuard_CompleteOnlyClearsFlag_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }

    public void {|OVL004:Dispose|}()
    {
        if (!InProgress)
        {
            Free();
        }

        Disposed = true;
    }

    private void Free() { Marshal.FreeHGlobal(m_address); }
}");

        [Fact]
        public Task Message_NamesDisposeAndTheDeferredFree() => Ovl004Verify.DiagnosticsAsync(
            Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void {|#0:Dispose|}() { if (!InProgress) { Marshal.FreeHGlobal(m_address); } }
}",
            new DiagnosticResult(Descriptors.OVL004).WithLocation(0).WithArguments(
                "Overlapped.Dispose",
                "defers freeing while an operation is in progress, but no completion path in 'Overlapped' frees a disposed instance: the deferred free never runs"));

        [Fact]
        public Task EarlyReturnWhenInProgress_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class MyOverlapped : IDisposable
{
    private GCHandle m_handle;
    private bool m_inProgress;
    private bool m_disposed;
    public MyOverlapped() { m_handle = GCHandle.Alloc(this); }
    public void StartOperation() { m_inProgress = true; }
    public void Complete() { m_inProgress = false; }

    public void {|OVL004:Dispose|}()
    {
        m_disposed = true;
        if (m_inProgress)
            return;
        m_handle.Free();
    }
}");

        [Fact]
        public Task InProgressBlockSetsDisposedAndReturns_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }

    public void {|OVL004:Dispose|}()
    {
        if (InProgress)
        {
            Disposed = true;
            return;
        }

        Free();
    }

    private void Free() { Marshal.FreeHGlobal(m_address); }
}");

        [Fact]
        public Task StateEnumPending_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class IoRequest : IDisposable
{
    private enum State { Idle, Pending, DisposeRequested }
    private State m_state;
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public void StartOperation() { m_state = State.Pending; }
    public void Complete() { m_state = State.Idle; }

    public void {|OVL004:Dispose|}()
    {
        if (m_state == State.Pending)
        {
            m_state = State.DisposeRequested;
            return;
        }

        Marshal.FreeHGlobal(m_address);
    }
}");

        [Fact]
        public Task StateSwitchReturnsWhenPending_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class IoRequest : IDisposable
{
    private enum State { Idle, Pending }
    private State m_state;
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public void StartOperation() { m_state = State.Pending; }
    public void Complete() { m_state = State.Idle; }

    public void {|OVL004:Dispose|}()
    {
        switch (m_state)
        {
            case State.Pending:
                return;
        }

        Marshal.FreeHGlobal(m_address);
    }
}");

        [Fact]
        public Task ElseBranchFrees_Reports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    private bool m_disposed;
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }

    public void {|OVL004:Dispose|}()
    {
        if (InProgress) m_disposed = true;
        else Marshal.FreeHGlobal(m_address);
    }
}");

        [Fact]
        public Task DisposeBoolPattern_ReportsOnDisposeBool() => Ovl004Verify.DiagnosticsAsync(Usings + @"
class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    private bool m_disposed;
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }

    public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }

    protected virtual void {|OVL004:Dispose|}(bool disposing)
    {
        m_disposed = true;
        if (!InProgress)
        {
            Marshal.FreeHGlobal(m_address);
        }
    }
}");

        [Fact]
        public Task CompletionFreesADifferentResource_DoesNotCountAndReports() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    private IntPtr m_buffer = Marshal.AllocHGlobal(1024);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; if (Disposed) { Marshal.FreeHGlobal(m_buffer); } }

    public void {|OVL004:Dispose|}()
    {
        Disposed = true;
        if (!InProgress) { Release(); }
    }

    private void Release() { Marshal.FreeCoTaskMem(m_address); }
}");

        [Fact]
        public Task PartialType_DeferralInOneFileCompletionInOther_Reports() => Ovl004Verify.DiagnosticsAsync(
            Usings + @"
sealed partial class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void {|OVL004:Dispose|}() { if (!InProgress) { Free(); } Disposed = true; }
    private void Free() { Marshal.FreeHGlobal(m_address); }
}",
            @"
sealed partial class Overlapped
{
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
}");

        // ---- silent ----

        [Fact]
        public Task SeedAsyncIoOverlapped_StaticCompleteOperationFreesDisposed_NoDiagnostic() =>
            Ovl004Verify.DiagnosticsAsync(Ovl004Sources.AsyncIoOverlapped);

        [Fact]
        public Task InstanceOnCompletedFreesDisposed_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    private GCHandle m_handle;
    private bool m_disposed;
    public Overlapped() { m_handle = GCHandle.Alloc(this); }
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }

    public void OnCompleted()
    {
        InProgress = false;
        if (m_disposed)
        {
            Marshal.FreeHGlobal(m_address);
            m_handle.Free();
        }
    }

    public void Dispose()
    {
        m_disposed = true;
        if (InProgress)
        {
            return;
        }

        Marshal.FreeHGlobal(m_address);
        m_handle.Free();
    }
}");

        [Fact]
        public Task StateEnumCompletionFreesDisposeRequested_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class IoRequest : IDisposable
{
    private enum State { Idle, Pending, DisposeRequested }
    private State m_state;
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public void StartOperation() { m_state = State.Pending; }

    public void Complete()
    {
        var free = m_state == State.DisposeRequested;
        m_state = State.Idle;
        if (free) Free();
    }

    public void Dispose()
    {
        if (m_state == State.Pending) { m_state = State.DisposeRequested; return; }
        Free();
    }

    private void Free() => Marshal.FreeHGlobal(m_address);
}");

        [Fact]
        public Task CompletionDisposesAgainWhenDisposed_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; if (Disposed) Dispose(); }
    public void Dispose() { Disposed = true; if (!InProgress) { Marshal.FreeHGlobal(m_address); m_address = IntPtr.Zero; } }
}");

        [Fact]
        public Task PartialType_CompletionSideFreeInOtherFile_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(
            Usings + @"
sealed partial class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void Dispose() { if (!InProgress) { Free(); } Disposed = true; }
    private void Free() { Marshal.FreeHGlobal(m_address); }
}",
            @"
sealed partial class Overlapped
{
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; if (Disposed) { Free(); } }
}");

        [Fact]
        public Task UnconditionalFree_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void Dispose() { Marshal.FreeHGlobal(m_address); }
}");

        [Fact]
        public Task GuardOnDisposedFlagOnly_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    private bool m_disposed;
    public void StartOperation() { }
    public void Complete() { }
    public void Dispose() { if (m_disposed) return; m_disposed = true; Marshal.FreeHGlobal(m_address); }
}");

        [Fact]
        public Task VisibleFreeHelper_MayBeCalledByThePort_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public bool Disposed { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void Dispose() { if (!InProgress) { Free(); } Disposed = true; }
    internal void Free() { Marshal.FreeHGlobal(m_address); }
}");

        [Fact]
        public Task NotAnOverlappedType_NoDiagnostic() => Ovl004Verify.DiagnosticsAsync(Usings + @"
sealed class Transfer : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void Begin() { InProgress = true; }
    public void Dispose() { if (!InProgress) { Marshal.FreeHGlobal(m_address); } }
}");

        [Fact]
        public Task HalfTypedDispose_NoDiagnosticNoCrash() => Ovl004Verify.NoDiagnosticsInBrokenCodeAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; }
    public void Dispose()
    {
        if (!InProgress
        {
            Marshal.FreeHGlobal(m_addr
    }
}");

        [Fact]
        public Task HalfTypedCompletion_UnboundNames_NoDiagnosticNoCrash() => Ovl004Verify.NoDiagnosticsInBrokenCodeAsync(Usings + @"
sealed class Overlapped : IDisposable
{
    private IntPtr m_address = Marshal.AllocHGlobal(40);
    public bool InProgress { get; private set; }
    public void StartOperation() { InProgress = true; }
    public void Complete() { InProgress = false; if (Dispos) Fre(); }
    public void Dispose() { if (!InProgress) { Marshal.FreeHGlobal(m_address); } }
}");
    }
}
