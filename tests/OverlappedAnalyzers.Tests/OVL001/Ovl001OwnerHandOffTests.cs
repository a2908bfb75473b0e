using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL001
{
    /// <summary>
    /// RULES.md "Owner hand-off": a pooled request object owns its overlapped for its whole life; when the request
    /// escapes on the failure path (back to the pool, stored, returned, handed to a method) the overlapped goes with it.
    /// A failure path on which the request does not escape still reports.
    /// </summary>
    public class Ovl001OwnerHandOffTests
    {
        private const string Prelude = @"
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Io;

sealed class Request
{
    public readonly Io.Overlapped Overlapped = new Io.Overlapped();
    public IntPtr Buffer;
}

unsafe sealed class NativeRequest
{
    public NativeOverlapped* Native;
    public byte[] Buffer = new byte[4096];
}

static class Win32
{
    [DllImport(""kernel32.dll"", SetLastError = true)]
    public static extern unsafe int ReadFile(IntPtr file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);
}
";

        private static Task Verify(string body) => Verify<SyncFailureAnalyzer>.DiagnosticsAsync(Prelude + body, allowUnsafe: true);

        [Fact]
        public Task RequestPutBackIntoItsQueue_Silent() => Verify(@"
class Acceptor
{
    private readonly ConcurrentQueue<Request> m_pool = new ConcurrentQueue<Request>();

    public void Accept(IntPtr listener)
    {
        if (!m_pool.TryDequeue(out var request))
        {
            request = new Request();
        }

        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(listener, IntPtr.Zero, request.Overlapped.Address))
        {
            int error = Marshal.GetLastWin32Error();
            if (error != 997)
            {
                Console.WriteLine(error);
                m_pool.Enqueue(request);
                return;
            }
        }
    }
}");

        [Fact]
        public Task RequestReturned_StoredInAFieldOrArray_OrHandedToAMethod_Silent() => Verify(@"
class Acceptor
{
    private Request m_failed;
    private readonly Request[] m_slots = new Request[4];
    private readonly Stack<Request> m_free = new Stack<Request>();

    public Request Returned(Request request)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address) && Marshal.GetLastWin32Error() != 997)
        {
            return request;
        }

        return null;
    }

    public void StoredInField(Request request)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address) && Marshal.GetLastWin32Error() != 997)
        {
            m_failed = request;
            return;
        }
    }

    public void StoredInArray(Request request, int slot)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address) && Marshal.GetLastWin32Error() != 997)
        {
            m_slots[slot] = request;
            return;
        }
    }

    public void HandedToAMethod(Request request)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address) && Marshal.GetLastWin32Error() != 997)
        {
            Recycle(request);
            throw new SocketException();
        }
    }

    private void Recycle(Request request) => m_free.Push(request);
}");

        [Fact]
        public Task RequestReturnedToAPoolOfTheCompilation_ThroughALocalAlias_Silent() => Verify(@"
sealed class RequestPool
{
    private readonly ConcurrentBag<Request> m_items = new ConcurrentBag<Request>();
    public Request Rent() => m_items.TryTake(out var request) ? request : new Request();
    public void Return(Request request) => m_items.Add(request);
}

class Acceptor
{
    private readonly RequestPool m_pool = new RequestPool();

    public bool Accept(IntPtr listener)
    {
        var request = m_pool.Rent();
        var holder = request;
        holder.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(listener, IntPtr.Zero, holder.Overlapped.Address))
        {
            var error = (SocketError)Marshal.GetLastWin32Error();
            if (error == SocketError.ConnectionReset || error != SocketError.IOPending)
            {
                m_pool.Return(request);
                return false;
            }
        }

        return true;
    }
}");

        [Fact]
        public Task APathOnWhichTheRequestDoesNotEscape_Reports() => Verify(@"
class Acceptor
{
    private const int WSAECONNRESET = 10054;
    private readonly ConcurrentQueue<Request> m_pool = new ConcurrentQueue<Request>();

    public void Accept(Request request)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address))
        {
            int error = Marshal.GetLastWin32Error();
            if (error == WSAECONNRESET)
            {
                {|OVL001:return;|}
            }

            if (error != 997)
            {
                m_pool.Enqueue(request);
                return;
            }
        }
    }
}");

        [Fact]
        public Task AllocatedNativeOverlappedStoredInTheRequest_PushedBack_Silent() => Verify(@"
unsafe class Reader
{
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly IntPtr m_file;
    private readonly Stack<NativeRequest> m_free = new Stack<NativeRequest>();

    public void Read(NativeRequest request)
    {
        request.Native = m_bound.AllocateNativeOverlapped(OnCompleted, request, request.Buffer);
        fixed (byte* buffer = request.Buffer)
        {
            if (Win32.ReadFile(m_file, buffer, request.Buffer.Length, IntPtr.Zero, request.Native) == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != 997)
                {
                    m_free.Push(request);
                    return;
                }
            }
        }
    }

    private static void OnCompleted(uint error, uint bytes, NativeOverlapped* overlapped) { }
}");

        [Fact]
        public Task AllocatedNativeOverlappedStoredInTheRequest_NeitherFreedNorPushedBack_Reports() => Verify(@"
unsafe class Reader
{
    private readonly ThreadPoolBoundHandle m_bound;
    private readonly IntPtr m_file;

    public void Read(NativeRequest request)
    {
        request.Native = m_bound.AllocateNativeOverlapped(OnCompleted, request, request.Buffer);
        fixed (byte* buffer = request.Buffer)
        {
            if (Win32.ReadFile(m_file, buffer, request.Buffer.Length, IntPtr.Zero, request.Native) == 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != 997)
                {
                    {|OVL001:throw new System.ComponentModel.Win32Exception(error);|}
                }
            }
        }
    }

    private static void OnCompleted(uint error, uint bytes, NativeOverlapped* overlapped) { }
}");

        [Fact]
        public Task PackedOverlappedStoredInTheRequest_ReturnedToThePool_Silent() => Verify(@"
unsafe class Reader
{
    private readonly IntPtr m_file;
    private readonly ConcurrentBag<NativeRequest> m_pool = new ConcurrentBag<NativeRequest>();

    public void Read(NativeRequest request)
    {
        var managed = new System.Threading.Overlapped();
        request.Native = managed.Pack(OnCompleted, request.Buffer);
        fixed (byte* buffer = request.Buffer)
        {
            int ok = Win32.ReadFile(m_file, buffer, request.Buffer.Length, IntPtr.Zero, request.Native);
            int error = Marshal.GetLastWin32Error();
            if (ok == 0 && error != 997)
            {
                m_pool.Add(request);
                return;
            }
        }
    }

    private static void OnCompleted(uint error, uint bytes, NativeOverlapped* overlapped) { }
}");

        [Fact]
        public Task TheRequestCopiedIntoALocal_IsNoEscape_Reports() => Verify(@"
class Acceptor
{
    public void Accept(Request request)
    {
        request.Overlapped.StartOperation(OperationType.Accept);
        if (!Native.AcceptEx(IntPtr.Zero, IntPtr.Zero, request.Overlapped.Address) && Marshal.GetLastWin32Error() != 997)
        {
            var failed = request;
            Console.WriteLine(failed.Buffer);
            {|OVL001:return;|}
        }
    }
}");
    }
}
