using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL003
{
    /// <summary>Correct code that must stay silent: frees, ownership transfers, the seed's own correct classes.</summary>
    public class Ovl003ValidCodeTests
    {
        [Theory]
        [InlineData("handle.Free();")]
        [InlineData("if (handle.IsAllocated) { handle.Free(); }")]
        [InlineData("GCHandle.FromIntPtr(GCHandle.ToIntPtr(handle)).Free();")]
        public Task LocalFreed_NoDiagnostic(string free) => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public void Pin(byte[] buffer)
    {
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        Marshal.WriteByte(handle.AddrOfPinnedObject(), 1);
        " + free + @"
    }
}");

        [Fact]
        public Task FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Send(byte[] buffer, int count)
    {
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            if (count > buffer.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            Marshal.WriteByte(handle.AddrOfPinnedObject(), 0);
        }
        finally
        {
            handle.Free();
        }
    }
}");

        [Fact]
        public Task FreedInCatchBeforeRethrow_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Run(object state, bool fail)
    {
        var handle = GCHandle.Alloc(state);
        try
        {
            if (fail)
            {
                throw new InvalidOperationException();
            }
        }
        catch
        {
            handle.Free();
            throw;
        }

        handle.Free();
    }
}");

        [Fact]
        public Task OwnershipTransferred_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Io;

class Holder
{
    public Holder(GCHandle handle) { Handle = handle; }
    public GCHandle Handle { get; }
}

class C
{
    private GCHandle m_kept;
    private readonly List<GCHandle> m_all = new List<GCHandle>();
    private readonly GCHandle[] m_slots = new GCHandle[4];

    public GCHandle Returned(object o)
    {
        var handle = GCHandle.Alloc(o);
        return handle;
    }

    public void StoredInField(object o)
    {
        var handle = GCHandle.Alloc(o);
        m_kept = handle;
    }

    public void StoredInCollection(object o)
    {
        var handle = GCHandle.Alloc(o);
        m_all.Add(handle);
    }

    public void StoredInArray(object o)
    {
        var handle = GCHandle.Alloc(o);
        m_slots[0] = handle;
    }

    public void PassedByRef(object o)
    {
        var handle = GCHandle.Alloc(o);
        Adopt(ref handle);
    }

    public void HandedOnAsIntPtr(object o)
    {
        var handle = GCHandle.Alloc(o);
        Native.PostCompletion(GCHandle.ToIntPtr(handle));
    }

    public Holder PassedToConstructor(object o)
    {
        var handle = GCHandle.Alloc(o);
        return new Holder(handle);
    }

    public void CapturedByLambda(object o, List<Action> later)
    {
        var handle = GCHandle.Alloc(o);
        later.Add(() => handle.Free());
    }

    private static void Adopt(ref GCHandle handle) { }
}");

        [Fact]
        public Task StaticReadOnlyProcessLifetimeHandle_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

static class Callbacks
{
    private static readonly object Root = new object();
    private static readonly GCHandle RootHandle = GCHandle.Alloc(Root);
    private static GCHandle s_other;

    static Callbacks()
    {
        s_other = GCHandle.Alloc(Root);
    }
}");

        [Fact]
        public Task LazyAllocationGuardedByIsAllocated_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Pin : IDisposable
{
    private GCHandle m_handle;

    public Pin(object o) { m_handle = GCHandle.Alloc(o); }

    public void Ensure(object o)
    {
        if (!m_handle.IsAllocated)
        {
            m_handle = GCHandle.Alloc(o);
        }
    }

    public void Reset(object o)
    {
        Release();
        m_handle = GCHandle.Alloc(o);
    }

    private void Release()
    {
        if (m_handle.IsAllocated)
        {
            m_handle.Free();
        }
    }

    public void Dispose() => Release();
}");

        [Fact]
        public Task SeedPinnedBuffer_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class PinnedBuffer : IDisposable
{
    private GCHandle m_handle;

    public PinnedBuffer(byte[] buffer)
    {
        SetBuffer(buffer);
    }

    public byte[] Buffer { get; private set; }

    public long Address { get; private set; }

    public void Switch(byte[] buffer)
    {
        m_handle.Free();

        SetBuffer(buffer);
    }

    private void SetBuffer(byte[] buffer)
    {
        Buffer = buffer;
        m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        Address = Marshal.UnsafeAddrOfPinnedArrayElement(Buffer, 0).ToInt64();
    }

    public void Dispose()
    {
        m_handle.Free();
        Buffer = null;
        Address = 0;
    }
}");

        [Fact]
        public Task HandleKeptAsIntPtrFreedThroughFromIntPtr_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Callback : IDisposable
{
    private IntPtr m_cookie;

    public Callback() { m_cookie = GCHandle.ToIntPtr(GCHandle.Alloc(this)); }

    public IntPtr Cookie => m_cookie;

    public void Dispose()
    {
        if (m_cookie != IntPtr.Zero)
        {
            GCHandle.FromIntPtr(m_cookie).Free();
            m_cookie = IntPtr.Zero;
        }
    }
}");

        [Fact]
        public Task SeedOverlapped_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(TestSourcesLeak.SeedOverlapped);

        [Fact]
        public Task DeferredFreeOnCompletionSide_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Request
{
    private const int HandleOffset = 32;
    private readonly IntPtr m_address;
    private GCHandle m_handle;

    public Request()
    {
        m_address = Marshal.AllocHGlobal(40);
        m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
        Marshal.WriteIntPtr(m_address, HandleOffset, GCHandle.ToIntPtr(m_handle));
    }

    public IntPtr Address => m_address;

    public static Request Complete(IntPtr address)
    {
        var handle = GCHandle.FromIntPtr(Marshal.ReadIntPtr(address, HandleOffset));
        var request = (Request)handle.Target;
        handle.Free();
        Marshal.FreeHGlobal(address);
        return request;
    }
}");

        [Fact]
        public async Task HalfTypedCode_NoDiagnosticNoException()
        {
            var test = new CSharpAnalyzerTest<HandleLeakAnalyzer, DefaultVerifier>
            {
                TestCode = @"
using System.Runtime.InteropServices;

class C
{
    private GCHandle m_handle;

    public void Pin(byte[] buffer)
    {
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned
        m_handle = GCHandle.Alloc(Missing);
        if (handle.
    }
}",
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
                CompilerDiagnostics = CompilerDiagnostics.None,
            };
            await test.RunAsync();
        }
    }
}
