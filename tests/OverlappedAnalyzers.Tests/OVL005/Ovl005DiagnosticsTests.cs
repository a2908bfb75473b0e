using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>OVL005 shapes that must report, one per allocator and per shape.</summary>
    public class Ovl005DiagnosticsTests
    {
        [Fact]
        public Task AllocHGlobalNotFreedOnThrowPath_ReportsWithReason() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public void Write(int size)
    {
        var block = {|#0:Marshal.AllocHGlobal(size)|};
        Marshal.WriteInt32(block, 0);
        if (size < 4)
        {
            {|#1:throw new ArgumentOutOfRangeException(nameof(size));|}
        }

        Marshal.FreeHGlobal(block);
    }
}", expected: DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithLocation(1).WithArguments("Marshal.AllocHGlobal", "is never freed on the path through the throw on line 13"));

        [Fact]
        public Task AllocCoTaskMemDiscarded_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

class C
{
    public void Touch()
    {
        {|OVL005:Marshal.AllocCoTaskMem(16)|};
    }
}");

        [Fact]
        public Task NativeMemoryPointerNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

unsafe class C
{
    public int Sum(int count)
    {
        int* values = (int*){|OVL005:NativeMemory.AllocZeroed((nuint)count, sizeof(int))|};
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}", allowUnsafe: true);

        [Fact]
        public Task AlignedAllocOverwritten_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System.Runtime.InteropServices;

unsafe class C
{
    public void Grow()
    {
        void* block = {|OVL005:NativeMemory.AlignedAlloc(64, 16)|};
        block = NativeMemory.AlignedAlloc(128, 16);
        NativeMemory.AlignedFree(block);
    }
}", allowUnsafe: true);

        [Fact]
        public Task SeedAcceptBufferNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Listener : IDisposable
{
    private IntPtr m_acceptBuffer;
    private int m_acceptBufferSize;

    [DllImport(""mswsock.dll"")]
    private static extern bool AcceptEx(IntPtr listen, IntPtr accept, IntPtr buffer, int receiveLength, int localLength, int remoteLength, out int received, IntPtr overlapped);

    public void Accept(IntPtr listen, IntPtr accept, IntPtr overlapped)
    {
        if (m_acceptBuffer == IntPtr.Zero)
        {
            m_acceptBufferSize = 64;
            m_acceptBuffer = {|#0:Marshal.AllocHGlobal(m_acceptBufferSize)|};
        }

        AcceptEx(listen, accept, m_acceptBuffer, 0, 32, 32, out _, overlapped);
    }

    public void Dispose()
    {
    }
}", expected: DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithArguments("Marshal.AllocHGlobal", "is assigned to 'm_acceptBuffer' but nothing in the type frees it"));

        [Fact]
        public Task FieldInitializerNeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Scratch
{
    private IntPtr m_block = {|OVL005:Marshal.AllocHGlobal(256)|};

    public IntPtr Block => m_block;
}");

        [Fact]
        public Task FieldReallocatedWithoutFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Buffer : IDisposable
{
    private IntPtr m_block;

    public Buffer(int size) { m_block = Marshal.AllocHGlobal(size); }

    public void Resize(int size)
    {
        m_block = {|#0:Marshal.AllocHGlobal(size)|};
    }

    public void Dispose() => Marshal.FreeHGlobal(m_block);
}", expected: DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithArguments("Marshal.AllocHGlobal", "is overwritten in 'Resize' while it may still hold an allocation"));
    }
}
