using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>
    /// Lent or given (RULES.md, "Lent, not given"): a block passed by value to native code stays the caller's when the
    /// caller frees it, or hands it to an owner, unconditionally after the call; only conditional or missing frees
    /// mean the callee took it.
    /// </summary>
    public class Ovl005LentAndGivenTests
    {
        private const string Native = @"
using System;
using System.Runtime.InteropServices;

static partial class Native
{
    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern bool Fill(IntPtr buffer, int length);

    [LibraryImport(""kernel32.dll"")]
    public static partial int Query(IntPtr buffer, int length);

    public static partial int Query(IntPtr buffer, int length) => 0;
}
";

        [Fact]
        public Task LentToPInvoke_ReturnBeforeFree_ReportsWithReasonAndExit() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public int Read(int size)
    {
        var block = {|#0:Marshal.AllocHGlobal(size)|};
        if (!Native.Fill(block, size))
        {
            {|#1:return -1;|}
        }

        var value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }
}", expected: DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithLocation(1).WithArguments("Marshal.AllocHGlobal", "is never freed on the path through the return on line 23"));

        [Fact]
        public Task LentToLibraryImport_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public int Read(int size)
    {
        var block = {|OVL005:Marshal.AllocCoTaskMem(size)|};
        if (Native.Query(block, size) != 0)
        {
            throw new InvalidOperationException();
        }

        var value = Marshal.ReadInt32(block);
        Marshal.FreeCoTaskMem(block);
        return value;
    }
}");

        [Fact]
        public Task FreeGuardedByNonZeroTestAfterTheCall_StillLent_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public bool Probe(int size)
    {
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Native.Fill(block, size))
        {
            return false;
        }

        if (block != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(block);
        }

        return true;
    }
}");

        [Fact]
        public Task FreedOnlyInCatch_GivenOnSuccess_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public void Hand(int size)
    {
        IntPtr block = Marshal.AllocHGlobal(size);
        try
        {
            if (!Native.Fill(block, size))
            {
                throw new InvalidOperationException();
            }
        }
        catch
        {
            Marshal.FreeHGlobal(block);
            throw;
        }
    }
}");

        [Fact]
        public Task LentAndNeverFreed_GivenToNativeCode_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public void Hand(int size)
    {
        IntPtr block = Marshal.AllocHGlobal(size);
        Native.Fill(block, size);
    }
}");

        [Fact]
        public Task LentThenStoredInAList_ReturnBeforeTheStore_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    private readonly System.Collections.Generic.List<IntPtr> m_blocks = new System.Collections.Generic.List<IntPtr>();

    public bool Add(int size)
    {
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Native.Fill(block, size))
        {
            return false;
        }

        m_blocks.Add(block);
        return true;
    }
}");

        [Fact]
        public Task LentToPInvoke_ReturnBeforeFree_FixWrapsInTryFinally() => Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(Native + @"
class C
{
    public int Read(int size)
    {
        var block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Native.Fill(block, size))
        {
            return -1;
        }

        var value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }
}", Native + @"
class C
{
    public int Read(int size)
    {
        var block = Marshal.AllocHGlobal(size);
        try
        {
            if (!Native.Fill(block, size))
            {
                return -1;
            }

            var value = Marshal.ReadInt32(block);
            return value;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}");
    }
}
