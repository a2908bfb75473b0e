using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>Correct native-memory code that must stay silent.</summary>
    public class Ovl005ValidCodeTests
    {
        [Fact]
        public Task FreedInFinallyAndGuarded_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Write(int size)
    {
        IntPtr block = IntPtr.Zero;
        try
        {
            block = Marshal.AllocHGlobal(size);
            if (size < 4)
            {
                throw new ArgumentOutOfRangeException(nameof(size));
            }

            Marshal.WriteInt32(block, 0);
        }
        finally
        {
            if (block != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(block);
            }
        }
    }

    public void CoTask()
    {
        var block = Marshal.AllocCoTaskMem(8);
        Marshal.Copy(new byte[8], 0, block, 8);
        Marshal.FreeCoTaskMem(block);
    }
}");

        [Fact]
        public Task NativeMemoryFreed_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

unsafe class C
{
    public int Sum(int count)
    {
        int* values = (int*)NativeMemory.Alloc((nuint)count, sizeof(int));
        try
        {
            var span = new Span<int>(values, count);
            span.Clear();
            return span.Length;
        }
        finally
        {
            NativeMemory.Free(values);
        }
    }

    public void Aligned()
    {
        void* block = NativeMemory.AlignedAlloc(64, 16);
        NativeMemory.Clear(block, 64);
        NativeMemory.AlignedFree(block);
    }
}", allowUnsafe: true);

        [Fact]
        public Task OwnershipTransferred_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Block
{
    public Block(IntPtr address) { Address = address; }
    public IntPtr Address { get; }
}

class C
{
    [DllImport(""kernel32.dll"")]
    private static extern bool QueueBuffer(IntPtr buffer);

    public IntPtr Returned(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        Marshal.WriteInt32(block, size);
        return block;
    }

    public Block Wrapped(int size) => new Block(Marshal.AllocHGlobal(size));

    public void HandedToNative(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        if (!QueueBuffer(block))
        {
            throw new InvalidOperationException();
        }
    }

    public void PassedByOut(out IntPtr block)
    {
        block = Marshal.AllocHGlobal(8);
    }
}");

        [Fact]
        public Task SeedAcceptBufferFreedInDispose_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Listener : IDisposable
{
    private IntPtr m_acceptBuffer;

    public void Accept()
    {
        if (m_acceptBuffer == IntPtr.Zero)
        {
            m_acceptBuffer = Marshal.AllocHGlobal(64);
        }
    }

    public void Dispose()
    {
        if (m_acceptBuffer != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(m_acceptBuffer);
            m_acceptBuffer = IntPtr.Zero;
        }
    }
}");

        [Fact]
        public Task StaticReadOnlyBlock_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

static class Zeroes
{
    public static readonly IntPtr Page = Marshal.AllocHGlobal(4096);
}");

        [Fact]
        public Task SeedOverlappedFreesBothInFree_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(TestSourcesLeak.SeedOverlapped);

        [Fact]
        public Task ReallocAfterFreeInSameMethod_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Buffer : IDisposable
{
    private IntPtr m_block;

    public Buffer(int size) { m_block = Marshal.AllocHGlobal(size); }

    public void Resize(int size)
    {
        Marshal.FreeHGlobal(m_block);
        m_block = Marshal.AllocHGlobal(size);
    }

    public void Dispose() => Marshal.FreeHGlobal(m_block);
}");

        [Fact]
        public Task FreedBeforeTheOnlyExitOfAWhileTrueLoop_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Poller
{
    public int Poll()
    {
        IntPtr block = Marshal.AllocHGlobal(64);
        Marshal.WriteInt32(block, 0);
        int attempts = 0;
        while (true)
        {
            attempts++;
            if (Marshal.ReadInt32(block) == 0)
            {
                Marshal.FreeHGlobal(block);
                return attempts;
            }
        }
    }
}");
    }
}
