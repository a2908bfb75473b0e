using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL003
{
    /// <summary>GCHandles lent by address or as an IntPtr, given to native code for a later callback, or stored into a field through a local.</summary>
    public class Ovl003LentAndStoredTests
    {
        private const string Native = @"
using System;
using System.Runtime.InteropServices;

static class Native
{
    [DllImport(""kernel32.dll"")]
    public static extern bool Submit(IntPtr context, IntPtr data, int length);
}
";

        [Fact]
        public Task ToIntPtrLentToPInvoke_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public void Send(object state, IntPtr data, int length)
    {
        var context = {|OVL003:GCHandle.Alloc(state)|};
        if (!Native.Submit(GCHandle.ToIntPtr(context), data, length))
        {
            throw new InvalidOperationException();
        }

        context.Free();
    }
}");

        [Fact]
        public Task ToIntPtrGivenToPInvokeFreedOnlyOnFailure_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public void Send(object state, IntPtr data, int length)
    {
        var context = GCHandle.Alloc(state);
        if (!Native.Submit(GCHandle.ToIntPtr(context), data, length))
        {
            context.Free();
            throw new InvalidOperationException();
        }
    }
}");

        [Fact]
        public Task PinnedAddressLentThroughALocal_ReturnBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(Native + @"
class C
{
    public bool Send(byte[] payload)
    {
        var pin = {|OVL003:GCHandle.Alloc(payload, GCHandleType.Pinned)|};
        IntPtr address = pin.AddrOfPinnedObject();
        if (!Native.Submit(IntPtr.Zero, address, payload.Length))
        {
            return false;
        }

        pin.Free();
        return true;
    }
}");

        [Fact]
        public Task HandleStoredIntoTwoFieldsThroughALocalOneFreed_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(@"
using System;
using System.Runtime.InteropServices;

class C : IDisposable
{
    private GCHandle m_primary;
    private GCHandle m_alias;

    public void Root(object target)
    {
        var handle = GCHandle.Alloc(target);
        m_primary = handle;
        m_alias = handle;
    }

    public object Target => m_alias.Target;

    public void Dispose() => m_primary.Free();
}");
    }
}
