using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>A block stored into a field through a local: the field owns it, the per-type rules decide; and process-lifetime statics.</summary>
    public class Ovl005FieldThroughLocalTests
    {
        [Fact]
        public Task StoredOnOnePathReturnedEarlyOnTheOther_ReportsTheLocalLeak() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Cache : IDisposable
{
    private IntPtr m_block;

    public void Load(byte[] data)
    {
        var block = {|OVL005:Marshal.AllocHGlobal(data.Length)|};
        if (data.Length == 0)
        {
            return;
        }

        Marshal.Copy(data, 0, block, data.Length);
        m_block = block;
    }

    public void Dispose() => Marshal.FreeHGlobal(m_block);
}");

        [Fact]
        public Task StoredInFieldAndFreedThroughTheLocal_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Request
{
    private IntPtr m_current;

    public int Run(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        m_current = block;
        var result = Marshal.ReadInt32(m_current);
        m_current = IntPtr.Zero;
        Marshal.FreeHGlobal(block);
        return result;
    }
}");

        [Fact]
        public Task StoredInFieldThroughLocalInPublicMethodWhileHolding_ReportsOverwrite() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class Buffer : IDisposable
{
    private IntPtr m_block;

    public Buffer(int size) { m_block = Marshal.AllocHGlobal(size); }

    public void Resize(int size)
    {
        var bigger = {|#0:Marshal.AllocHGlobal(size)|};
        m_block = bigger;
    }

    public void Dispose() => Marshal.FreeHGlobal(m_block);
}", expected: DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithArguments("Marshal.AllocHGlobal", "is overwritten in 'Resize' while it may still hold an allocation"));

        [Fact]
        public Task StaticAllocatedByHelperOnlyTheStaticConstructorCalls_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

static class Tables
{
    private static IntPtr s_table;

    static Tables() { Build(); }

    private static void Build()
    {
        s_table = Marshal.AllocHGlobal(256);
        for (var i = 0; i < 256; i++)
        {
            Marshal.WriteByte(s_table, i, (byte)i);
        }
    }

    public static byte At(int index) => Marshal.ReadByte(s_table, index);
}");

        [Fact]
        public Task StaticAllocatedInStaticConstructorAndReassignedInAMethod_ReportsAsBefore() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

static class Tables
{
    private static IntPtr s_table;

    static Tables() { s_table = {|OVL005:Marshal.AllocHGlobal(256)|}; }

    public static void Reset() { s_table = {|OVL005:Marshal.AllocHGlobal(256)|}; }
}");
    }
}
