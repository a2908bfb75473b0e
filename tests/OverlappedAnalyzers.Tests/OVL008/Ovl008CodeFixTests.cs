using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL008
{
    public class Ovl008CodeFixTests
    {
        private static Task Fix(string source, string fixedSource) =>
            Verify<UseAfterFreeAnalyzer, MoveFreeAfterLastUseCodeFixProvider>.FixAsync(
                Ovl008Sources.Usings + source + Ovl008Sources.Native,
                Ovl008Sources.Usings + fixedSource + Ovl008Sources.Native,
                allowUnsafe: true);

        [Fact]
        public Task MovesFreeAfterTheLastUseInTheBlock() => Fix(@"
unsafe class Connection
{
    private IntPtr m_socket;

    private void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
    {
        Overlapped.Free(overlapped);
        {|OVL008:Ws2.WSAGetOverlappedResult(m_socket, overlapped, out var transferred, false, out _)|};
        Console.WriteLine(transferred);
        Console.WriteLine({|OVL008:overlapped->InternalLow|});
        Console.WriteLine(errorCode);
    }
}", @"
unsafe class Connection
{
    private IntPtr m_socket;

    private void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
    {
        Ws2.WSAGetOverlappedResult(m_socket, overlapped, out var transferred, false, out _);
        Console.WriteLine(transferred);
        Console.WriteLine(overlapped->InternalLow);
        Overlapped.Free(overlapped);
        Console.WriteLine(errorCode);
    }
}");

        [Fact]
        public Task UseNestedInALaterStatement_FreeMovesAfterThatStatement() => Fix(@"
class Buffers
{
    public void Log(IntPtr block, bool log)
    {
        Marshal.FreeHGlobal(block);
        if (log)
        {
            Console.WriteLine({|OVL008:Marshal.ReadInt32(block)|});
        }

        Console.WriteLine(log);
    }
}", @"
class Buffers
{
    public void Log(IntPtr block, bool log)
    {
        if (log)
        {
            Console.WriteLine(Marshal.ReadInt32(block));
        }

        Marshal.FreeHGlobal(block);
        Console.WriteLine(log);
    }
}");

        [Fact]
        public Task FixAll_MovesEveryFree() => Fix(@"
class Buffers
{
    public int First(IntPtr block)
    {
        Marshal.FreeHGlobal(block);
        int value = {|OVL008:Marshal.ReadInt32(block)|};
        return value;
    }

    public void Second(GCHandle handle)
    {
        handle.Free();
        Console.WriteLine({|OVL008:handle.Target|});
    }
}", @"
class Buffers
{
    public int First(IntPtr block)
    {
        int value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }

    public void Second(GCHandle handle)
    {
        Console.WriteLine(handle.Target);
        handle.Free();
    }
}");

        [Fact]
        public async Task NoFix_WhenTheUseReturnsOrAnExitLiesInBetween()
        {
            var source = Ovl008Sources.Usings + @"
class Buffers
{
    public int Returns(IntPtr block)
    {
        Marshal.FreeHGlobal(block);
        return {|OVL008:Marshal.ReadInt32(block)|};
    }

    public void ThrowsInBetween(IntPtr block, bool fail)
    {
        Marshal.FreeHGlobal(block);
        if (fail)
        {
            throw new InvalidOperationException();
        }

        Console.WriteLine({|OVL008:Marshal.ReadInt32(block)|});
    }
}" + Ovl008Sources.Native;
            var test = Verify<UseAfterFreeAnalyzer, MoveFreeAfterLastUseCodeFixProvider>.Create(source, source, allowUnsafe: true);
            test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck;
            await test.RunAsync();
        }
    }
}
