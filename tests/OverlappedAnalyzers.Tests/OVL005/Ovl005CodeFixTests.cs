using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>OVL005 fixes with their exact output; tests with two or more diagnostics also run Fix All.</summary>
    public class Ovl005CodeFixTests
    {
        [Fact]
        public Task TwoLocals_FixAllWrapsEachInTryFinally() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public int Copy(int size)
    {
        var source = {|OVL005:Marshal.AllocHGlobal(size)|};
        var target = {|OVL005:Marshal.AllocCoTaskMem(size)|};
        Marshal.WriteInt32(source, size);
        if (size > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        var value = Marshal.ReadInt32(source);
        Marshal.WriteInt32(target, value);
        Marshal.FreeCoTaskMem(target);
        Marshal.FreeHGlobal(source);
        return value;
    }
}", @"
using System;
using System.Runtime.InteropServices;

class C
{
    public int Copy(int size)
    {
        var source = Marshal.AllocHGlobal(size);
        try
        {
            var target = Marshal.AllocCoTaskMem(size);
            try
            {
                Marshal.WriteInt32(source, size);
                if (size > 1024)
                {
                    throw new ArgumentOutOfRangeException(nameof(size));
                }

                var value = Marshal.ReadInt32(source);
                Marshal.WriteInt32(target, value);
                return value;
            }
            finally
            {
                Marshal.FreeCoTaskMem(target);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(source);
        }
    }
}");

        [Fact]
        public Task ReturnedOnSuccess_FreesBeforeTheThrow() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public IntPtr Create(int size)
    {
        var block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (size < 8)
            throw new ArgumentOutOfRangeException(nameof(size));

        Marshal.WriteInt64(block, 0);
        return block;
    }
}", @"
using System;
using System.Runtime.InteropServices;

class C
{
    public IntPtr Create(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        if (size < 8)
        {
            Marshal.FreeHGlobal(block);
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        Marshal.WriteInt64(block, 0);
        return block;
    }
}");

        [Fact]
        public Task TwoThrowsInBlocks_FixAllFreesBeforeEach() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class C
{
    public IntPtr First(int size)
    {
        var block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (size < 8)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        return block;
    }

    public IntPtr Second(int size)
    {
        var block = {|OVL005:Marshal.AllocCoTaskMem(size)|};
        if (size < 8)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        return block;
    }
}", @"
using System;
using System.Runtime.InteropServices;

class C
{
    public IntPtr First(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        if (size < 8)
        {
            Marshal.FreeHGlobal(block);
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        return block;
    }

    public IntPtr Second(int size)
    {
        var block = Marshal.AllocCoTaskMem(size);
        if (size < 8)
        {
            Marshal.FreeCoTaskMem(block);
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        return block;
    }
}");

        [Fact]
        public Task AcceptBufferNeverFreed_FreesInDispose() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"
using System;
using System.Runtime.InteropServices;

class Listener : IDisposable
{
    private IntPtr m_acceptBuffer;

    public void Accept()
    {
        if (m_acceptBuffer == IntPtr.Zero)
        {
            m_acceptBuffer = {|OVL005:Marshal.AllocHGlobal(64)|};
        }
    }

    public void Dispose()
    {
    }
}", @"
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
        public Task FieldNeverFreedWithoutDispose_NoFix()
        {
            const string source = @"
using System;
using System.Runtime.InteropServices;

class Scratch
{
    private IntPtr m_block = {|OVL005:Marshal.AllocHGlobal(256)|};

    public IntPtr Block => m_block;
}";
            return Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(source, source);
        }
    }
}
