using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL003
{
    /// <summary>OVL003 shapes that must report: discarded handles, locals that reach an exit, fields nothing frees, re-pins.</summary>
    public class Ovl003DiagnosticsTests
    {
        [Fact]
        public Task DiscardedResult_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public void Pin(byte[] buffer)
    {
        {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
    }
}");

        [Fact]
        public Task DiscardedAfterTakingTheAddress_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public IntPtr Pin(byte[] buffer) => {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|}.AddrOfPinnedObject();
}");

        [Fact]
        public Task LocalNotFreedOnThrowPath_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Send(byte[] buffer, int count)
    {
        var handle = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        if (count > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        handle.Free();
    }
}");

        [Fact]
        public Task LocalNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public object Root(object target)
    {
        GCHandle handle = {|OVL003:GCHandle.Alloc(target)|};
        return handle.Target;
    }
}");

        [Fact]
        public Task LocalNotFreedOnEarlyReturn_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public int Sum(byte[] buffer)
    {
        var handle = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        if (buffer.Length == 0)
        {
            return 0;
        }

        var sum = Marshal.ReadByte(handle.AddrOfPinnedObject());
        handle.Free();
        return sum;
    }
}");

        [Fact]
        public Task LocalOverwrittenInLoop_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public void PinAll(byte[][] buffers)
    {
        GCHandle handle = default;
        foreach (var buffer in buffers)
        {
            handle = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        }

        if (handle.IsAllocated)
        {
            handle.Free();
        }
    }
}");

        [Fact]
        public Task FieldNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Registration : IDisposable
{
    private GCHandle m_handle;

    public Registration()
    {
        m_handle = {|OVL003:GCHandle.Alloc(this)|};
    }

    public IntPtr Cookie => GCHandle.ToIntPtr(m_handle);

    public void Dispose()
    {
    }
}");

        [Fact]
        public Task SeedPinnedBuffer_SwitchWithoutFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
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
        SetBuffer(buffer);
    }

    private void SetBuffer(byte[] buffer)
    {
        Buffer = buffer;
        m_handle = {|#0:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        Address = Marshal.UnsafeAddrOfPinnedArrayElement(Buffer, 0).ToInt64();
    }

    public void Dispose()
    {
        m_handle.Free();
        Buffer = null;
        Address = 0;
    }
}", expected: Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("OVL003").WithLocation(0).WithArguments("is overwritten in 'Switch' while it may still hold an allocation"));

        [Fact]
        public Task FieldReassignedInPublicMethodAfterConstructorAllocated_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Pin : IDisposable
{
    private GCHandle m_handle;

    public Pin(byte[] buffer)
    {
        m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
    }

    public void Repin(byte[] buffer)
    {
        m_handle = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
    }

    public void Dispose()
    {
        if (m_handle.IsAllocated)
        {
            m_handle.Free();
        }
    }
}");

        [Fact]
        public Task FieldAllocatedTwiceInOneMethod_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Pin : IDisposable
{
    private GCHandle m_handle;

    public void Open(byte[] first, byte[] second)
    {
        m_handle = GCHandle.Alloc(first, GCHandleType.Pinned);
        m_handle = {|OVL003:GCHandle.Alloc(second, GCHandleType.Pinned)|};
    }

    public void Dispose() => m_handle.Free();
}");

        [Fact]
        public Task HandleKeptAsIntPtrNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Callback
{
    private IntPtr m_cookie;

    public Callback() { m_cookie = GCHandle.ToIntPtr({|OVL003:GCHandle.Alloc(this)|}); }

    public IntPtr Cookie => m_cookie;
}");

        [Fact]
        public Task LeavesThroughDoesNotReturnHelper_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

class C
{
    public void Run(object state, int error)
    {
        var handle = {|OVL003:GCHandle.Alloc(state)|};
        if (error != 0)
        {
            Fail(error);
        }

        handle.Free();
    }

    [DoesNotReturn]
    private static void Fail(int error) => throw new InvalidOperationException(error.ToString());
}");

        [Fact]
        public Task ThrowInsideTryWithoutFinally_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Run(object state, bool fail)
    {
        var handle = {|OVL003:GCHandle.Alloc(state)|};
        try
        {
            if (fail)
            {
                throw new InvalidOperationException();
            }
        }
        catch (ArgumentException)
        {
            handle.Free();
            throw;
        }

        handle.Free();
    }
}");
    }
}
