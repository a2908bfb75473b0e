using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL008
{
    public class Ovl008ValidCodeTests
    {
        private static Task Check(string body) =>
            Verify<UseAfterFreeAnalyzer>.DiagnosticsAsync(Ovl008Sources.Usings + body + Ovl008Sources.Native, allowUnsafe: true);

        [Fact]
        public Task CompletionCallback_UsesBeforeFreeing() => Check(@"
unsafe class Connection
{
    private IntPtr m_socket;

    private void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
    {
        var state = Overlapped.Unpack(overlapped).AsyncResult;
        Ws2.WSAGetOverlappedResult(m_socket, overlapped, out _, false, out _);
        Overlapped.Free(overlapped);
        Console.WriteLine(state);
    }
}");

        [Fact]
        public Task ReassignedInBetween() => Check(@"
class Buffers
{
    public int Reuse()
    {
        IntPtr buffer = Marshal.AllocHGlobal(16);
        Marshal.FreeHGlobal(buffer);
        buffer = Marshal.AllocHGlobal(32);
        int value = Marshal.ReadInt32(buffer);
        Marshal.FreeHGlobal(buffer);
        return value;
    }
}");

        [Fact]
        public Task GuardedFreeThenReset_AndFreeOnOneBranchOnly() => Check(@"
unsafe class Holder
{
    private IntPtr m_block;
    private NativeOverlapped* m_native;

    public void Dispose()
    {
        if (m_block != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(m_block);
        }

        m_block = IntPtr.Zero;
        if (m_native != null) Overlapped.Free(m_native);
        m_native = null;
        Console.WriteLine(m_block == IntPtr.Zero && m_native == null);
    }

    public int Drop(IntPtr block, bool done)
    {
        if (done)
        {
            Marshal.FreeHGlobal(block);
        }

        return done ? 0 : Marshal.ReadInt32(block);
    }
}");

        [Fact]
        public Task FreesOnMutuallyExclusiveBranches() => Check(@"
class Exclusive
{
    public int Take(IntPtr block, bool failed)
    {
        if (failed)
        {
            Marshal.FreeHGlobal(block);
            return -1;
        }

        int value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task GCHandleCopyReallocated_AndIsAllocatedAfterFree() => Check(@"
class Pin
{
    public object? Use(byte[] data, byte[] other)
    {
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        var copy = handle;
        handle.Free();
        copy = GCHandle.Alloc(other, GCHandleType.Pinned);
        var target = copy.Target;
        copy.Free();
        Console.WriteLine(handle.IsAllocated);
        return target;
    }
}");

        [Fact]
        public Task LoopFreesAtTheBottom_AndHelperMayRefillField() => Check(@"
unsafe class Loop
{
    private IntPtr m_block;

    public void Run(int count)
    {
        for (var i = 0; i < count; i++)
        {
            IntPtr block = Marshal.AllocHGlobal(8);
            Marshal.WriteInt32(block, i);
            Marshal.FreeHGlobal(block);
        }

        Marshal.FreeHGlobal(m_block);
        Refill();
        Marshal.WriteInt32(m_block, 1);
    }

    private void Refill() { m_block = Marshal.AllocHGlobal(8); }
}");

        [Fact]
        public Task FreeInCatch_UseAfterTheTry() => Check(@"
class Handler
{
    public int Read(IntPtr block)
    {
        try
        {
            Console.WriteLine(block);
        }
        catch (InvalidOperationException)
        {
            Marshal.FreeHGlobal(block);
            throw;
        }

        int value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }
}");
    }
}
