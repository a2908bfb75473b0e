using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL008
{
    public class Ovl008DiagnosticsTests
    {
        private static Task Check(string body) =>
            Verify<UseAfterFreeAnalyzer>.DiagnosticsAsync(Ovl008Sources.Usings + body + Ovl008Sources.Native, allowUnsafe: true);

        [Fact]
        public Task CompletionMethod_FreesThenAsksWSAGetOverlappedResult() => Check(@"
unsafe class Connection
{
    private IntPtr m_socket;

    private void OnCompleted(uint errorCode, uint numBytes, NativeOverlapped* overlapped)
    {
        Overlapped.Free(overlapped);
        if (errorCode != 0)
        {
            {|OVL008:Ws2.WSAGetOverlappedResult(m_socket, overlapped, out _, false, out _)|};
        }
    }
}");

        [Fact]
        public Task CompletionLambda_PassedToPack_UnpacksAfterFree() => Check(@"
unsafe class Reader
{
    public NativeOverlapped* Start(byte[] buffer)
    {
        var overlapped = new Overlapped();
        return overlapped.Pack((errorCode, numBytes, native) =>
        {
            Overlapped.Free(native);
            var state = {|OVL008:Overlapped.Unpack(native)|};
            Console.WriteLine(state.AsyncResult);
        }, buffer);
    }
}");

        [Fact]
        public Task CompletionLocalFunction_GivenToAllocateNativeOverlapped_ReadsStateAndFieldAfterFree() => Check(@"
unsafe class Reader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;

    public NativeOverlapped* Start()
    {
        return m_handle.AllocateNativeOverlapped(Done, null, null);

        void Done(uint errorCode, uint numBytes, NativeOverlapped* native)
        {
            m_handle.FreeNativeOverlapped(native);
            var state = {|OVL008:ThreadPoolBoundHandle.GetNativeOverlappedState(native)|};
            var low = {|OVL008:native->InternalLow|};
            Console.WriteLine(state?.ToString() + low);
        }
    }
}");

        [Fact]
        public Task CallbackInvokedWithFreedPointer() => Check(@"
unsafe class Dispatcher
{
    public void Fail(IOCompletionCallback callback, NativeOverlapped* native, ThreadPoolBoundHandle handle)
    {
        handle.FreeNativeOverlapped(native);
        {|OVL008:callback(995, 0, native)|};
    }
}");

        [Fact]
        public Task NativeMemory_Dereferenced_Indexed_AndFreedTwice() => Check(@"
unsafe class Block
{
    public int Sum()
    {
        byte* block = (byte*)NativeMemory.Alloc(64);
        block[0] = 1;
        NativeMemory.Free(block);
        int first = {|OVL008:*block|};
        int second = {|OVL008:block[1]|};
        {|OVL008:NativeMemory.Free(block)|};
        return first + second;
    }
}");

        [Fact]
        public Task HGlobal_ReadAfterFree_ThroughACopy_AndLentToPInvoke() => Check(@"
unsafe class Buffers
{
    public int Read(IntPtr port)
    {
        IntPtr buffer = Marshal.AllocHGlobal(16);
        IntPtr copy = buffer;
        Marshal.FreeHGlobal(buffer);
        int value = {|OVL008:Marshal.ReadInt32(copy)|};
        {|OVL008:Ws2.PostQueuedCompletionStatus(port, 0, IntPtr.Zero, buffer)|};
        return value;
    }
}");

        [Fact]
        public Task GCHandle_TargetAndAddressAfterFree_AndSecondFreeOfACopy() => Check(@"
class Pin
{
    public object? Use(byte[] data)
    {
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        var copy = handle;
        handle.Free();
        var address = {|OVL008:copy.AddrOfPinnedObject()|};
        Console.WriteLine(address);
        {|OVL008:copy.Free()|};
        return {|OVL008:handle.Target|};
    }
}");

        [Fact]
        public Task FieldFreedThenLent_AndFreedOnEveryBranch() => Check(@"
unsafe class Socket
{
    private NativeOverlapped* m_native;
    private IntPtr m_socket;

    public void Close(bool aborted)
    {
        if (aborted)
        {
            Overlapped.Free(m_native);
        }
        else
        {
            Overlapped.Free(m_native);
        }

        {|OVL008:Ws2.WSAGetOverlappedResult(m_socket, m_native, out _, false, out _)|};
    }
}");

        [Fact]
        public Task CoTaskMemAndAlignedFree_SecondFree() => Check(@"
unsafe class Twice
{
    public void Release(IntPtr text, void* aligned)
    {
        Marshal.FreeCoTaskMem(text);
        NativeMemory.AlignedFree(aligned);
        {|OVL008:Marshal.FreeCoTaskMem(text)|};
        {|OVL008:NativeMemory.AlignedFree(aligned)|};
    }
}");

        [Fact]
        public Task ReadsThroughMarshalCopy_PtrToStructure_Span_AndFieldHandleTarget() => Check(@"
unsafe class Reads
{
    private GCHandle m_pin;

    public NativeOverlapped Copy(IntPtr block, byte[] into)
    {
        Marshal.FreeHGlobal(block);
        {|OVL008:Marshal.Copy(block, into, 0, into.Length)|};
        var span = {|OVL008:new Span<byte>((void*)block, 8)|};
        Console.WriteLine(span.Length);
        return {|OVL008:Marshal.PtrToStructure<NativeOverlapped>(block)|};
    }

    public object? Target()
    {
        m_pin.Free();
        return {|OVL008:m_pin.Target|};
    }
}");

        [Fact]
        public Task UnsafePackLambda_FreesThenLendsToPInvoke() => Check(@"
unsafe class Posting
{
    private IntPtr m_socket;

    public NativeOverlapped* Start()
    {
        return new Overlapped().UnsafePack((errorCode, numBytes, native) =>
        {
            Overlapped.Free(native);
            {|OVL008:Ws2.WSAGetOverlappedResult(m_socket, native, out _, false, out _)|};
        }, null);
    }
}");
    }
}
