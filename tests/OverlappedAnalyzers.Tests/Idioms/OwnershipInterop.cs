namespace OverlappedAnalyzers.Tests.Idioms
{
    /// <summary>
    /// The interop declarations the ownership idioms share, written the way interop code declares them (BOOL results
    /// as bool or int, buffers as IntPtr, a SafeHandle that owns an HGlobal block). Prepended to each case.
    /// </summary>
    internal static class OwnershipInterop
    {
        public const string Declarations = @"
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Interop;

namespace Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct WAVEHDR
    {
        public IntPtr lpData;
        public int dwBufferLength;
        public int dwBytesRecorded;
        public IntPtr dwUser;
        public int dwFlags;
        public int dwLoops;
        public IntPtr lpNext;
        public IntPtr reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct STORAGE_DEVICE_NUMBER
    {
        public int DeviceType;
        public int DeviceNumber;
        public int PartitionNumber;
    }

    internal delegate int FillBufferProc(IntPtr buffer, int length);

    internal delegate bool EnumWindowsProc(IntPtr hwnd, IntPtr lParam);

    internal static class Kernel32
    {
        public const int ERROR_IO_PENDING = 997;

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern bool ReadFile(IntPtr file, IntPtr buffer, int toRead, out int read, IntPtr overlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern int DeviceIoControl(IntPtr device, uint code, IntPtr inBuffer, int inSize, IntPtr outBuffer, int outSize, out int returned, IntPtr overlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern bool PostQueuedCompletionStatus(IntPtr port, int bytes, IntPtr key, IntPtr overlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern IntPtr LocalFree(IntPtr memory);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern int FormatMessage(int flags, IntPtr source, int messageId, int languageId, IntPtr buffer, int size, IntPtr arguments);
    }

    internal static class Hid
    {
        [DllImport(""hid.dll"", SetLastError = true)]
        public static extern bool HidD_GetFeature(IntPtr device, IntPtr reportBuffer, int reportBufferLength);
    }

    internal static class WinMM
    {
        [DllImport(""winmm.dll"")]
        public static extern int waveOutPrepareHeader(IntPtr waveOut, IntPtr header, int size);

        [DllImport(""winmm.dll"")]
        public static extern int waveOutWrite(IntPtr waveOut, IntPtr header, int size);

        [DllImport(""winmm.dll"")]
        public static extern int waveOutUnprepareHeader(IntPtr waveOut, IntPtr header, int size);
    }

    internal static class User32
    {
        [DllImport(""user32.dll"", CharSet = CharSet.Unicode, SetLastError = true)]
        public static extern int GetWindowText(IntPtr hwnd, IntPtr text, int maxCount);

        [DllImport(""user32.dll"")]
        public static extern bool EnumChildWindows(IntPtr parent, EnumWindowsProc callback, IntPtr lParam);

        [DllImport(""comctl32.dll"")]
        public static extern bool SetWindowSubclass(IntPtr hwnd, IntPtr subclassProc, UIntPtr id, IntPtr refData);
    }

    internal static class NtDll
    {
        [DllImport(""ntdll.dll"")]
        public static extern int NtQueryInformationProcess(IntPtr process, int infoClass, IntPtr info, int infoLength, out int returnLength);
    }

    /// <summary>Owns an HGlobal block: adoption (new HGlobalBuffer(p)) hands the block over.</summary>
    internal sealed class HGlobalBuffer : SafeHandle
    {
        public HGlobalBuffer(IntPtr block)
            : base(IntPtr.Zero, true)
        {
            SetHandle(block);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Marshal.FreeHGlobal(handle);
            return true;
        }
    }
}
";

        /// <summary>The declarations followed by one case.</summary>
        public static string With(string source) => Declarations + source;
    }
}
