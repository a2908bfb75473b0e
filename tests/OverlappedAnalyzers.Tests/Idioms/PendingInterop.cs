using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;

namespace OverlappedAnalyzers.Tests.Idioms
{
    /// <summary>
    /// The interop layer the pending-operation idiom cases call, written in the style of real Win32 interop code:
    /// BOOL results declared as int/uint/bool, <c>[DllImport(SetLastError = true)]</c> and <c>[LibraryImport]</c>
    /// declarations, Winsock delegates fetched with GetDelegateForFunctionPointer, SafeHandle-typed handles, HTTP.sys
    /// returning its Win32 error directly, and pooled request objects that own their overlapped.
    /// </summary>
    public static class PendingInterop
    {
        public const string Source = @"
using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace Interop
{
    internal static unsafe partial class Kernel32
    {
        internal const int ERROR_SUCCESS = 0;
        internal const int ERROR_NETNAME_DELETED = 64;
        internal const int ERROR_MORE_DATA = 234;
        internal const int ERROR_OPERATION_ABORTED = 995;
        internal const int ERROR_IO_PENDING = 997;
        internal const int ERROR_DEVICE_NOT_CONNECTED = 1167;

        [DllImport(""kernel32.dll"", SetLastError = true)]
        internal static extern int ReadFile(SafeFileHandle hFile, byte* lpBuffer, int nNumberOfBytesToRead, IntPtr lpNumberOfBytesRead, NativeOverlapped* lpOverlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        internal static extern int WriteFile(SafeFileHandle hFile, byte* lpBuffer, int nNumberOfBytesToWrite, IntPtr lpNumberOfBytesWritten, NativeOverlapped* lpOverlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static extern bool DeviceIoControl(SafeFileHandle hDevice, uint dwIoControlCode, IntPtr lpInBuffer, int nInBufferSize, IntPtr lpOutBuffer, int nOutBufferSize, IntPtr lpBytesReturned, NativeOverlapped* lpOverlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        internal static extern uint WaitCommEvent(SafeFileHandle hFile, uint* lpEvtMask, NativeOverlapped* lpOverlapped);

        [DllImport(""kernel32.dll"")]
        internal static extern uint GetLastError();

        [LibraryImport(""kernel32.dll"", SetLastError = true)]
        internal static partial int ConnectNamedPipe(SafeHandle hNamedPipe, NativeOverlapped* lpOverlapped);
    }

    // What the LibraryImport generator would emit.
    internal static unsafe partial class Kernel32
    {
        internal static partial int ConnectNamedPipe(SafeHandle hNamedPipe, NativeOverlapped* lpOverlapped) => 0;
    }

    internal struct WSABuffer
    {
        public int Length;
        public IntPtr Pointer;
    }

    internal static unsafe class Winsock
    {
        internal const int SOCKET_ERROR = -1;
        internal const int WSA_IO_PENDING = 997;
        internal const int WSAECONNABORTED = 10053;
        internal const int WSAECONNRESET = 10054;

        [DllImport(""ws2_32.dll"", SetLastError = true)]
        internal static extern SocketError WSARecv(SafeSocketHandle s, WSABuffer* buffers, int count, out int received, ref SocketFlags flags, NativeOverlapped* overlapped, IntPtr completion);

        [DllImport(""ws2_32.dll"", SetLastError = true)]
        internal static extern int WSASend(IntPtr s, WSABuffer* buffers, int count, out int sent, SocketFlags flags, NativeOverlapped* overlapped, IntPtr completion);

        [DllImport(""ws2_32.dll"")]
        internal static extern int WSAGetLastError();

        [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
        internal delegate int AcceptExDelegate(IntPtr listenSocket, IntPtr acceptSocket, IntPtr buffer, int receiveDataLength, int localAddressLength, int remoteAddressLength, out int bytesReceived, NativeOverlapped* overlapped);

        [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
        internal delegate bool ConnectExDelegate(IntPtr socket, IntPtr socketAddress, int socketAddressSize, IntPtr buffer, int dataLength, out int bytesSent, NativeOverlapped* overlapped);
    }

    internal static unsafe class HttpApi
    {
        // HTTP.sys returns the Win32 error itself (NO_ERROR, ERROR_IO_PENDING, ERROR_MORE_DATA, ...).
        [DllImport(""httpapi.dll"")]
        internal static extern uint HttpReceiveHttpRequest(SafeHandle requestQueue, ulong requestId, uint flags, IntPtr request, uint requestBufferLength, IntPtr bytesReturned, NativeOverlapped* overlapped);
    }

    /// <summary>An AsyncIO-style overlapped: StartOperation marks it in progress, Complete clears it.</summary>
    internal sealed unsafe class OverlappedSlot
    {
        public NativeOverlapped* Native;
        public bool InProgress { get; private set; }
        public void StartOperation() => InProgress = true;
        public void Complete() => InProgress = false;
    }

    /// <summary>A pooled request: owns its overlapped and buffer for its whole life.</summary>
    internal sealed class IoRequest
    {
        public readonly OverlappedSlot Overlapped = new OverlappedSlot();
        public readonly byte[] Buffer = new byte[4096];
        public uint Error;
    }

    internal interface IErrorSink
    {
        void OnError(uint error);
    }
}
";

        /// <summary>Runs OVL001/OVL002/OVL006 on <paramref name="source"/> (markup marks the expected diagnostics) with the interop layer beside it.</summary>
        public static Task VerifyAsync(string source)
        {
            if (CaseRecorder.TryRecord(new[] { ("Test0.cs", source), ("Interop.cs", Source) }, editorConfig: null, allowUnsafe: true))
            {
                return Task.CompletedTask;
            }

            var test = new CSharpAnalyzerTest<SyncFailureAnalyzer, DefaultVerifier>
            {
                TestCode = source,
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            test.TestState.Sources.Add(("Interop.cs", Source));
            test.SolutionTransforms.Add(Verify<SyncFailureAnalyzer>.AllowUnsafe);
            return test.RunAsync(CancellationToken.None);
        }
    }
}
