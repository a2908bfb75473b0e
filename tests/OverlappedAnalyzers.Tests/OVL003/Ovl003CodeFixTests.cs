using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL003
{
    /// <summary>OVL003 fixes with their exact output; tests with two or more diagnostics also run Fix All.</summary>
    public class Ovl003CodeFixTests
    {
        [Fact]
        public Task LocalLeakingThroughThrow_WrapsRestInTryFinally() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
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

        Marshal.WriteByte(handle.AddrOfPinnedObject(), 0);
        handle.Free();
        Console.WriteLine(count);
    }
}", @"
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

        Console.WriteLine(count);
    }
}");

        [Fact]
        public Task FieldNeverFreed_FreesInDispose_FixAll() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class Registration : IDisposable
{
    private GCHandle m_self;
    private GCHandle m_pin;

    public Registration(byte[] buffer)
    {
        m_self = {|OVL003:GCHandle.Alloc(this)|};
        m_pin = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
    }

    public IntPtr Cookie => GCHandle.ToIntPtr(m_self);

    public void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}", @"
using System;
using System.Runtime.InteropServices;

class Registration : IDisposable
{
    private GCHandle m_self;
    private GCHandle m_pin;

    public Registration(byte[] buffer)
    {
        m_self = GCHandle.Alloc(this);
        m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
    }

    public IntPtr Cookie => GCHandle.ToIntPtr(m_self);

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        if (m_self.IsAllocated)
        {
            m_self.Free();
        }
        if (m_pin.IsAllocated)
        {
            m_pin.Free();
        }
    }
}");

        [Fact]
        public Task DiscardedHandle_NoFix()
        {
            const string source = @"
using System.Runtime.InteropServices;

class C
{
    public void Pin(byte[] buffer)
    {
        {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
    }
}";
            return Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(source, source);
        }

        [Fact]
        public Task ReadonlyFieldNeverFreed_FreesInDispose_AndDropsReadonly() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class Pinned : IDisposable
{
    // pinned for the socket's lifetime
    private readonly GCHandle m_pin;
    readonly GCHandle m_self;

    public Pinned(byte[] buffer)
    {
        m_pin = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        m_self = {|OVL003:GCHandle.Alloc(this)|};
    }

    public void Dispose()
    {
    }
}", @"
using System;
using System.Runtime.InteropServices;

class Pinned : IDisposable
{
    // pinned for the socket's lifetime
    private GCHandle m_pin;
    GCHandle m_self;

    public Pinned(byte[] buffer)
    {
        m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        m_self = GCHandle.Alloc(this);
    }

    public void Dispose()
    {
        if (m_pin.IsAllocated)
        {
            m_pin.Free();
        }
        if (m_self.IsAllocated)
        {
            m_self.Free();
        }
    }
}");
    }
}
