using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.Idioms
{
    /// <summary>
    /// A labelled corpus of interop idioms for OVL003/OVL005, written from scratch in the style of device, HID, audio,
    /// window and I/O-completion code: each leak beside its correct twin. Lent buffers (P/Invoke, native delegates,
    /// function pointers, BCL readers), hand-overs (SafeHandle adoption, native queues, callback contexts), a local
    /// stored into a field, lazy allocations and process-lifetime statics.
    /// </summary>
    public class OwnershipIdiomsTests
    {
        // ---- Buffers lent to a P/Invoke, early exit on its error before the free ----

        [Fact]
        public Task ReadFileIntoHGlobal_ReturnOnErrorBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class FileReader
{
    public byte[] ReadChunk(IntPtr file, int size)
    {
        IntPtr buffer = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Kernel32.ReadFile(file, buffer, size, out int read, IntPtr.Zero))
        {
            return null;
        }

        var chunk = new byte[read];
        Marshal.Copy(buffer, chunk, 0, read);
        Marshal.FreeHGlobal(buffer);
        return chunk;
    }
}"));

        [Fact]
        public Task ReadFileIntoHGlobal_FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class FileReader
{
    public byte[] ReadChunk(IntPtr file, int size)
    {
        IntPtr buffer = Marshal.AllocHGlobal(size);
        try
        {
            if (!Kernel32.ReadFile(file, buffer, size, out int read, IntPtr.Zero))
            {
                return null;
            }

            var chunk = new byte[read];
            Marshal.Copy(buffer, chunk, 0, read);
            return chunk;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }
}"));

        [Fact]
        public Task DeviceIoControlIntResult_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Disk
{
    private const uint IOCTL_STORAGE_GET_DEVICE_NUMBER = 0x2D1080;

    public int DeviceNumber(IntPtr device)
    {
        int size = Marshal.SizeOf<STORAGE_DEVICE_NUMBER>();
        IntPtr outBuffer = {|OVL005:Marshal.AllocHGlobal(size)|};
        int ok = Kernel32.DeviceIoControl(device, IOCTL_STORAGE_GET_DEVICE_NUMBER, IntPtr.Zero, 0, outBuffer, size, out int returned, IntPtr.Zero);
        if (ok == 0)
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }

        var number = Marshal.PtrToStructure<STORAGE_DEVICE_NUMBER>(outBuffer);
        Marshal.FreeHGlobal(outBuffer);
        return number.DeviceNumber;
    }
}"));

        [Fact]
        public Task DeviceIoControlIntResult_FreedBeforeThrow_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Disk
{
    private const uint IOCTL_STORAGE_GET_DEVICE_NUMBER = 0x2D1080;

    public int DeviceNumber(IntPtr device)
    {
        int size = Marshal.SizeOf<STORAGE_DEVICE_NUMBER>();
        IntPtr outBuffer = Marshal.AllocHGlobal(size);
        int ok = Kernel32.DeviceIoControl(device, IOCTL_STORAGE_GET_DEVICE_NUMBER, IntPtr.Zero, 0, outBuffer, size, out int returned, IntPtr.Zero);
        if (ok == 0)
        {
            int error = Marshal.GetLastWin32Error();
            Marshal.FreeHGlobal(outBuffer);
            throw new Win32Exception(error);
        }

        var number = Marshal.PtrToStructure<STORAGE_DEVICE_NUMBER>(outBuffer);
        Marshal.FreeHGlobal(outBuffer);
        return number.DeviceNumber;
    }
}"));

        [Fact]
        public Task HidGetFeatureReport_ReturnFalseBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class HidDevice
{
    private readonly IntPtr m_device;
    private readonly int m_featureLength;

    public HidDevice(IntPtr device, int featureLength)
    {
        m_device = device;
        m_featureLength = featureLength;
    }

    public bool TryGetFeature(byte reportId, byte[] data)
    {
        IntPtr report = {|OVL005:Marshal.AllocHGlobal(m_featureLength)|};
        Marshal.WriteByte(report, 0, reportId);
        if (!Hid.HidD_GetFeature(m_device, report, m_featureLength))
        {
            return false;
        }

        Marshal.Copy(IntPtr.Add(report, 1), data, 0, m_featureLength - 1);
        Marshal.FreeHGlobal(report);
        return true;
    }
}"));

        [Fact]
        public Task HidGetFeatureReport_FreedOnEveryPath_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class HidDevice
{
    private readonly IntPtr m_device;
    private readonly int m_featureLength;

    public HidDevice(IntPtr device, int featureLength)
    {
        m_device = device;
        m_featureLength = featureLength;
    }

    public bool TryGetFeature(byte reportId, byte[] data)
    {
        IntPtr report = Marshal.AllocHGlobal(m_featureLength);
        Marshal.WriteByte(report, 0, reportId);
        bool ok = Hid.HidD_GetFeature(m_device, report, m_featureLength);
        if (ok)
        {
            Marshal.Copy(IntPtr.Add(report, 1), data, 0, m_featureLength - 1);
        }

        Marshal.FreeHGlobal(report);
        return ok;
    }
}"));

        [Fact]
        public Task WaveOutPrepareHeader_ReturnOnErrorBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class WavePlayer
{
    private const int MMSYSERR_NOERROR = 0;

    public bool PlaySync(IntPtr waveOut, IntPtr samples, int length)
    {
        int size = Marshal.SizeOf<WAVEHDR>();
        var header = new WAVEHDR { lpData = samples, dwBufferLength = length };
        IntPtr headerPtr = {|OVL005:Marshal.AllocHGlobal(size)|};
        Marshal.StructureToPtr(header, headerPtr, false);
        if (WinMM.waveOutPrepareHeader(waveOut, headerPtr, size) != MMSYSERR_NOERROR)
        {
            return false;
        }

        WinMM.waveOutWrite(waveOut, headerPtr, size);
        WinMM.waveOutUnprepareHeader(waveOut, headerPtr, size);
        Marshal.FreeHGlobal(headerPtr);
        return true;
    }
}"));

        [Fact]
        public Task WaveOutPrepareHeader_FreedBeforeReturnOnError_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class WavePlayer
{
    private const int MMSYSERR_NOERROR = 0;

    public bool PlaySync(IntPtr waveOut, IntPtr samples, int length)
    {
        int size = Marshal.SizeOf<WAVEHDR>();
        var header = new WAVEHDR { lpData = samples, dwBufferLength = length };
        IntPtr headerPtr = Marshal.AllocHGlobal(size);
        Marshal.StructureToPtr(header, headerPtr, false);
        if (WinMM.waveOutPrepareHeader(waveOut, headerPtr, size) != MMSYSERR_NOERROR)
        {
            Marshal.FreeHGlobal(headerPtr);
            return false;
        }

        WinMM.waveOutWrite(waveOut, headerPtr, size);
        WinMM.waveOutUnprepareHeader(waveOut, headerPtr, size);
        Marshal.FreeHGlobal(headerPtr);
        return true;
    }
}"));

        [Fact]
        public Task PtrToStructureReadBack_StatusCheckReturnsBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ProcessInfo
{
    [StructLayout(LayoutKind.Sequential)]
    private struct PROCESS_BASIC_INFORMATION
    {
        public IntPtr ExitStatus;
        public IntPtr PebBaseAddress;
        public IntPtr AffinityMask;
        public IntPtr BasePriority;
        public IntPtr UniqueProcessId;
        public IntPtr InheritedFromUniqueProcessId;
    }

    public static int ParentId(IntPtr process)
    {
        int size = Marshal.SizeOf<PROCESS_BASIC_INFORMATION>();
        IntPtr info = {|OVL005:Marshal.AllocCoTaskMem(size)|};
        int status = NtDll.NtQueryInformationProcess(process, 0, info, size, out _);
        if (status != 0)
        {
            return -1;
        }

        var basic = Marshal.PtrToStructure<PROCESS_BASIC_INFORMATION>(info);
        Marshal.FreeCoTaskMem(info);
        return basic.InheritedFromUniqueProcessId.ToInt32();
    }
}"));

        [Fact]
        public Task PtrToStructureReadBack_FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ProcessInfo
{
    [StructLayout(LayoutKind.Sequential)]
    private struct PROCESS_BASIC_INFORMATION
    {
        public IntPtr ExitStatus;
        public IntPtr PebBaseAddress;
        public IntPtr AffinityMask;
        public IntPtr BasePriority;
        public IntPtr UniqueProcessId;
        public IntPtr InheritedFromUniqueProcessId;
    }

    public static int ParentId(IntPtr process)
    {
        int size = Marshal.SizeOf<PROCESS_BASIC_INFORMATION>();
        IntPtr info = Marshal.AllocCoTaskMem(size);
        try
        {
            int status = NtDll.NtQueryInformationProcess(process, 0, info, size, out _);
            if (status != 0)
            {
                return -1;
            }

            return Marshal.PtrToStructure<PROCESS_BASIC_INFORMATION>(info).InheritedFromUniqueProcessId.ToInt32();
        }
        finally
        {
            Marshal.FreeCoTaskMem(info);
        }
    }
}"));

        [Fact]
        public Task GetWindowTextIntoHGlobal_EmptyTitleReturnsBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class Windows
{
    public static string Title(IntPtr hwnd)
    {
        const int MaxChars = 256;
        IntPtr text = {|OVL005:Marshal.AllocHGlobal(MaxChars * 2)|};
        int length = User32.GetWindowText(hwnd, text, MaxChars);
        if (length == 0)
        {
            return string.Empty;
        }

        string title = Marshal.PtrToStringUni(text, length);
        Marshal.FreeHGlobal(text);
        return title;
    }
}"));

        [Fact]
        public Task GetWindowTextIntoHGlobal_ReadThenFreed_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class Windows
{
    public static string Title(IntPtr hwnd)
    {
        const int MaxChars = 256;
        IntPtr text = Marshal.AllocHGlobal(MaxChars * 2);
        int length = User32.GetWindowText(hwnd, text, MaxChars);
        string title = length == 0 ? string.Empty : Marshal.PtrToStringUni(text, length);
        Marshal.FreeHGlobal(text);
        return title;
    }
}"));

        [Fact]
        public Task LentInsideAPollingLoop_ReturnFromTheLoopSkipsTheFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class SerialPoller
{
    public int Drain(IntPtr port, byte[] sink)
    {
        IntPtr chunk = {|OVL005:Marshal.AllocHGlobal(sink.Length)|};
        int total = 0;
        while (total < sink.Length)
        {
            if (!Kernel32.ReadFile(port, chunk, sink.Length - total, out int read, IntPtr.Zero))
            {
                return -1;
            }

            if (read == 0)
            {
                break;
            }

            Marshal.Copy(chunk, sink, total, read);
            total += read;
        }

        Marshal.FreeHGlobal(chunk);
        return total;
    }
}"));

        [Fact]
        public Task LentInsideAPollingLoop_BreakReachesTheFree_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class SerialPoller
{
    public int Drain(IntPtr port, byte[] sink)
    {
        IntPtr chunk = Marshal.AllocHGlobal(sink.Length);
        int total = 0;
        while (total < sink.Length)
        {
            if (!Kernel32.ReadFile(port, chunk, sink.Length - total, out int read, IntPtr.Zero) || read == 0)
            {
                break;
            }

            Marshal.Copy(chunk, sink, total, read);
            total += read;
        }

        Marshal.FreeHGlobal(chunk);
        return total;
    }
}"));

        // ---- Native delegates and function pointers ----

        [Fact]
        public Task NativeDelegateFromFunctionPointer_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class PluginHost
{
    public byte[] Fill(IntPtr procAddress, int length)
    {
        var fill = Marshal.GetDelegateForFunctionPointer<FillBufferProc>(procAddress);
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int written = fill(block, length);
        if (written < 0)
        {
            throw new InvalidOperationException(""plug-in failed: "" + written);
        }

        var data = new byte[written];
        Marshal.Copy(block, data, 0, written);
        Marshal.FreeHGlobal(block);
        return data;
    }
}"));

        [Fact]
        public Task NativeDelegateFromFunctionPointer_FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class PluginHost
{
    public byte[] Fill(IntPtr procAddress, int length)
    {
        var fill = Marshal.GetDelegateForFunctionPointer<FillBufferProc>(procAddress);
        IntPtr block = Marshal.AllocHGlobal(length);
        try
        {
            int written = fill(block, length);
            if (written < 0)
            {
                throw new InvalidOperationException(""plug-in failed: "" + written);
            }

            var data = new byte[written];
            Marshal.Copy(block, data, 0, written);
            return data;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}"));

        [Fact]
        public Task UnmanagedFunctionPointer_NativeMemoryLent_ReturnBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
unsafe class Codec
{
    private readonly delegate* unmanaged<byte*, int, int> m_decode;

    public Codec(IntPtr decode) { m_decode = (delegate* unmanaged<byte*, int, int>)decode; }

    public int Decode(ReadOnlySpan<byte> input)
    {
        byte* scratch = (byte*){|OVL005:NativeMemory.Alloc((nuint)input.Length)|};
        input.CopyTo(new Span<byte>(scratch, input.Length));
        int result = m_decode(scratch, input.Length);
        if (result < 0)
        {
            return result;
        }

        NativeMemory.Free(scratch);
        return result;
    }
}"), allowUnsafe: true);

        [Fact]
        public Task UnmanagedFunctionPointer_NativeMemoryInTryFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
unsafe class Codec
{
    private readonly delegate* unmanaged<byte*, int, int> m_decode;

    public Codec(IntPtr decode) { m_decode = (delegate* unmanaged<byte*, int, int>)decode; }

    public int Decode(ReadOnlySpan<byte> input)
    {
        byte* scratch = (byte*)NativeMemory.Alloc((nuint)input.Length);
        try
        {
            input.CopyTo(new Span<byte>(scratch, input.Length));
            return m_decode(scratch, input.Length);
        }
        finally
        {
            NativeMemory.Free(scratch);
        }
    }
}"), allowUnsafe: true);

        // ---- Pinned handles lent by address ----

        [Fact]
        public Task PinnedArrayAddressLentToReadFile_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class PinnedReader
{
    public int Read(IntPtr file, byte[] buffer)
    {
        GCHandle pin = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        if (!Kernel32.ReadFile(file, pin.AddrOfPinnedObject(), buffer.Length, out int read, IntPtr.Zero))
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }

        pin.Free();
        return read;
    }
}"));

        [Fact]
        public Task PinnedArrayAddressLentToReadFile_FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class PinnedReader
{
    public int Read(IntPtr file, byte[] buffer)
    {
        GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            if (!Kernel32.ReadFile(file, pin.AddrOfPinnedObject(), buffer.Length, out int read, IntPtr.Zero))
            {
                throw new Win32Exception(Marshal.GetLastWin32Error());
            }

            return read;
        }
        finally
        {
            pin.Free();
        }
    }
}"));

        [Fact]
        public Task CallbackContextLentToSynchronousEnumeration_ReturnBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ChildWindows
{
    private static readonly EnumWindowsProc s_collect = Collect;

    public static List<IntPtr> Of(IntPtr parent)
    {
        var found = new List<IntPtr>();
        GCHandle context = {|OVL003:GCHandle.Alloc(found)|};
        if (!User32.EnumChildWindows(parent, s_collect, GCHandle.ToIntPtr(context)))
        {
            return null;
        }

        context.Free();
        return found;
    }

    private static bool Collect(IntPtr hwnd, IntPtr lParam)
    {
        ((List<IntPtr>)GCHandle.FromIntPtr(lParam).Target).Add(hwnd);
        return true;
    }
}"));

        [Fact]
        public Task CallbackContextLentToSynchronousEnumeration_FreedInFinally_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ChildWindows
{
    private static readonly EnumWindowsProc s_collect = Collect;

    public static List<IntPtr> Of(IntPtr parent)
    {
        var found = new List<IntPtr>();
        GCHandle context = GCHandle.Alloc(found);
        try
        {
            return User32.EnumChildWindows(parent, s_collect, GCHandle.ToIntPtr(context)) ? found : null;
        }
        finally
        {
            context.Free();
        }
    }

    private static bool Collect(IntPtr hwnd, IntPtr lParam)
    {
        ((List<IntPtr>)GCHandle.FromIntPtr(lParam).Target).Add(hwnd);
        return true;
    }
}"));

        // ---- Given, not lent: the native side or an owner keeps it ----

        [Fact]
        public Task CallbackContextGivenToSubclassFreedInTheCallback_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Subclass
{
    private const int WM_NCDESTROY = 0x0082;

    public void Attach(IntPtr hwnd, IntPtr subclassProc)
    {
        GCHandle self = GCHandle.Alloc(this);
        if (!User32.SetWindowSubclass(hwnd, subclassProc, UIntPtr.Zero, GCHandle.ToIntPtr(self)))
        {
            self.Free();
            throw new Win32Exception();
        }
    }

    public static IntPtr OnMessage(IntPtr hwnd, int message, IntPtr wParam, IntPtr lParam, UIntPtr id, IntPtr refData)
    {
        if (message == WM_NCDESTROY)
        {
            GCHandle.FromIntPtr(refData).Free();
        }

        return IntPtr.Zero;
    }
}"));

        [Fact]
        public Task BlockGivenToCompletionPortFreedOnlyWhenPostFails_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class WorkQueue
{
    private readonly IntPtr m_port;

    public WorkQueue(IntPtr port) { m_port = port; }

    public void Post(int workItem)
    {
        IntPtr packet = Marshal.AllocHGlobal(IntPtr.Size * 4);
        Marshal.WriteInt32(packet, 0, workItem);
        if (!Kernel32.PostQueuedCompletionStatus(m_port, 0, IntPtr.Zero, packet))
        {
            Marshal.FreeHGlobal(packet);
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }
    }
}"));

        [Fact]
        public Task BufferGivenToOverlappedReadFreedOnlyOnSynchronousFailure_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class AsyncPipeReader
{
    public void BeginRead(IntPtr pipe, IntPtr overlapped, int size)
    {
        IntPtr buffer = Marshal.AllocHGlobal(size);
        if (!Kernel32.ReadFile(pipe, buffer, size, out _, overlapped))
        {
            int error = Marshal.GetLastWin32Error();
            if (error != Kernel32.ERROR_IO_PENDING)
            {
                Marshal.FreeHGlobal(buffer);
                throw new Win32Exception(error);
            }
        }
    }
}"));

        [Fact]
        public Task BlockReleasedByLocalFreePInvoke_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class Messages
{
    public static string Describe(int error)
    {
        IntPtr text = Marshal.AllocHGlobal(1024);
        int length = Kernel32.FormatMessage(0x1000, IntPtr.Zero, error, 0, text, 512, IntPtr.Zero);
        string message = Marshal.PtrToStringUni(text, length);
        Kernel32.LocalFree(text);
        return message;
    }
}"));

        [Fact]
        public Task SafeHandleAdoptionAfterNativeInit_ThrowBeforeAdoption_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class Buffers
{
    public static HGlobalBuffer ReadHeader(IntPtr file, int size)
    {
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Kernel32.ReadFile(file, block, size, out int read, IntPtr.Zero) || read != size)
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }

        return new HGlobalBuffer(block);
    }
}"));

        [Fact]
        public Task SafeHandleAdoptionAfterNativeInit_FreedBeforeThrow_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class Buffers
{
    public static HGlobalBuffer ReadHeader(IntPtr file, int size)
    {
        IntPtr block = Marshal.AllocHGlobal(size);
        if (!Kernel32.ReadFile(file, block, size, out int read, IntPtr.Zero) || read != size)
        {
            Marshal.FreeHGlobal(block);
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }

        return new HGlobalBuffer(block);
    }
}"));

        [Fact]
        public Task SetHandleInSafeHandleConstructor_ThrowBeforeSetHandle_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
sealed class FeatureReport : SafeHandle
{
    public FeatureReport(IntPtr device, int length)
        : base(IntPtr.Zero, true)
    {
        IntPtr report = {|OVL005:Marshal.AllocHGlobal(length)|};
        if (!Hid.HidD_GetFeature(device, report, length))
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }

        SetHandle(report);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Marshal.FreeHGlobal(handle);
        return true;
    }
}"));

        [Fact]
        public Task SetHandleInSafeHandleConstructor_AdoptedBeforeTheCall_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
sealed class FeatureReport : SafeHandle
{
    public FeatureReport(IntPtr device, int length)
        : base(IntPtr.Zero, true)
    {
        IntPtr report = Marshal.AllocHGlobal(length);
        SetHandle(report);
        if (!Hid.HidD_GetFeature(device, report, length))
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Marshal.FreeHGlobal(handle);
        return true;
    }
}"));

        [Fact]
        public Task LentThroughAMethodOfTheCompilation_ReturnBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Frames
{
    public bool Capture(IntPtr device, int size)
    {
        IntPtr frame = {|OVL005:Marshal.AllocHGlobal(size)|};
        if (!Enqueue(device, frame, size))
        {
            return false;
        }

        Marshal.FreeHGlobal(frame);
        return true;
    }

    // Only lends the frame to a synchronous P/Invoke: the caller still owns it (issue 12, item 3).
    private static bool Enqueue(IntPtr device, IntPtr frame, int size) => Hid.HidD_GetFeature(device, frame, size);
}"));

        [Fact]
        public Task HandedToAMethodOfTheCompilationThatKeepsIt_IsAnEscape_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Frames
{
    private static IntPtr s_pending;

    public bool Capture(IntPtr device, int size)
    {
        IntPtr frame = Marshal.AllocHGlobal(size);
        if (!Enqueue(device, frame, size))
        {
            return false;
        }

        Marshal.FreeHGlobal(frame);
        return true;
    }

    private static bool Enqueue(IntPtr device, IntPtr frame, int size)
    {
        s_pending = frame;
        return Hid.HidD_GetFeature(device, frame, size);
    }
}"));

        [Fact]
        public Task PinnedHandleReadByAMethodOfTheCompilation_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Reports
{
    public int Checksum(IntPtr device, byte[] report)
    {
        var pin = {|OVL003:GCHandle.Alloc(report, GCHandleType.Pinned)|};
        if (!Hid.HidD_GetFeature(device, pin.AddrOfPinnedObject(), report.Length))
        {
            throw new InvalidOperationException();
        }

        int sum = Sum(pin, report.Length);
        pin.Free();
        return sum;
    }

    private static int Sum(GCHandle pin, int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += Marshal.ReadByte(pin.AddrOfPinnedObject(), i);
        }

        return sum;
    }
}"));

        [Fact]
        public Task PinnedHandleFreedByAMethodOfTheCompilation_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Reports
{
    public int Checksum(IntPtr device, byte[] report)
    {
        var pin = GCHandle.Alloc(report, GCHandleType.Pinned);
        if (!Hid.HidD_GetFeature(device, pin.AddrOfPinnedObject(), report.Length))
        {
            Release(pin);
            throw new InvalidOperationException();
        }

        int first = Marshal.ReadByte(pin.AddrOfPinnedObject());
        Release(pin);
        return first;
    }

    private static void Release(GCHandle pin) => pin.Free();
}"));

        // ---- Through a local into a field ----

        [Fact]
        public Task BlockStoredIntoFieldThroughALocal_NothingFreesIt_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class RingBuffer : IDisposable
{
    private IntPtr m_block;
    private int m_capacity;

    public void Reserve(byte[] seed)
    {
        var block = {|#0:Marshal.AllocHGlobal(seed.Length)|};
        Marshal.Copy(seed, 0, block, seed.Length);
        m_capacity = seed.Length;
        m_block = block;
    }

    public void Dispose()
    {
        m_capacity = 0;
    }
}"), expected: Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("OVL005").WithLocation(0).WithArguments("Marshal.AllocHGlobal", "is assigned to 'm_block' but nothing in the type frees it"));

        [Fact]
        public Task BlockStoredIntoFieldThroughALocal_FreedInDispose_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class RingBuffer : IDisposable
{
    private IntPtr m_block;

    public void Reserve(byte[] seed)
    {
        if (m_block != IntPtr.Zero)
        {
            return;
        }

        var block = Marshal.AllocHGlobal(seed.Length);
        Marshal.Copy(seed, 0, block, seed.Length);
        m_block = block;
    }

    public void Dispose()
    {
        if (m_block != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(m_block);
            m_block = IntPtr.Zero;
        }
    }
}"));

        [Fact]
        public Task PinStoredIntoFieldThroughALocal_NothingFreesIt_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ReceiveBuffer
{
    private readonly byte[] m_data = new byte[4096];
    private GCHandle m_pin;
    private IntPtr m_address;

    public ReceiveBuffer()
    {
        var pin = {|OVL003:GCHandle.Alloc(m_data, GCHandleType.Pinned)|};
        m_address = pin.AddrOfPinnedObject();
        m_pin = pin;
    }

    public IntPtr Address => m_address;
}"));

        [Fact]
        public Task PinStoredIntoFieldThroughALocal_FreedInDispose_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class ReceiveBuffer : IDisposable
{
    private readonly byte[] m_data = new byte[4096];
    private GCHandle m_pin;
    private IntPtr m_address;

    public ReceiveBuffer()
    {
        var pin = GCHandle.Alloc(m_data, GCHandleType.Pinned);
        m_address = pin.AddrOfPinnedObject();
        m_pin = pin;
    }

    public IntPtr Address => m_address;

    public void Dispose()
    {
        if (m_pin.IsAllocated)
        {
            m_pin.Free();
        }
    }
}"));

        // ---- Lazy allocations and process-lifetime statics ----

        [Fact]
        public Task LazyScratchGuardedByZero_NeverFreed_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Scanner
{
    private IntPtr m_scratch;

    public int Scan(IntPtr device)
    {
        if (m_scratch == IntPtr.Zero)
        {
            m_scratch = {|OVL005:Marshal.AllocHGlobal(512)|};
        }

        return Kernel32.ReadFile(device, m_scratch, 512, out int read, IntPtr.Zero) ? read : -1;
    }
}"));

        [Fact]
        public Task LazyScratchGuardedByZero_FreedInDispose_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Scanner : IDisposable
{
    private IntPtr m_scratch;

    public int Scan(IntPtr device)
    {
        if (m_scratch == IntPtr.Zero)
        {
            m_scratch = Marshal.AllocHGlobal(512);
        }

        return Kernel32.ReadFile(device, m_scratch, 512, out int read, IntPtr.Zero) ? read : -1;
    }

    public void Dispose()
    {
        Marshal.FreeHGlobal(m_scratch);
        m_scratch = IntPtr.Zero;
    }
}"));

        [Fact]
        public Task StaticPinnedOnceInStaticConstructorThroughALocal_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class ZeroPage
{
    private static readonly byte[] s_zeros = new byte[4096];
    private static GCHandle s_pin;
    private static IntPtr s_address;

    static ZeroPage()
    {
        var pin = GCHandle.Alloc(s_zeros, GCHandleType.Pinned);
        s_address = pin.AddrOfPinnedObject();
        s_pin = pin;
    }

    public static IntPtr Address => s_address;
}"));

        [Fact]
        public Task StaticBlockAllocatedLazilyWhenEmpty_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
static class SharedScratch
{
    private static readonly object s_gate = new object();
    private static IntPtr s_block;

    public static IntPtr Block
    {
        get
        {
            lock (s_gate)
            {
                if (s_block == IntPtr.Zero)
                {
                    s_block = Marshal.AllocHGlobal(64 * 1024);
                }

                return s_block;
            }
        }
    }
}"));

        [Fact]
        public Task StaticReallocatedByAnInstanceConstructor_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(OwnershipInterop.With(@"
class Session
{
    private static IntPtr s_lastRequest;

    public Session(int size)
    {
        s_lastRequest = {|OVL005:Marshal.AllocHGlobal(size)|};
    }

    public static IntPtr LastRequest => s_lastRequest;
}"));
    }
}
