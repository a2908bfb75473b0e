namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>
    /// The code the temporary projects compile: the shape of the incident (an overlapped started, WSARecv failing
    /// synchronously, a throw without Complete()), written fresh. Everything but the leak itself is correct, so a
    /// fixed project builds without a single warning.
    /// </summary>
    internal static class Sources
    {
        /// <summary>Marks the line OVL001 must point at: the throw on the synchronous-failure path.</summary>
        public const string ThrowMarker = "throw new SocketException((int)socketError);";

        public const string SocketOverlapped = """
            using System;
            using System.Net.Sockets;
            using System.Runtime.InteropServices;

            namespace LeakyApp
            {
                /// <summary>An OVERLAPPED block in native memory plus the in-progress flag the completion port clears.</summary>
                public sealed class SocketOverlapped : IDisposable
                {
                    private const int NativeOverlappedSize = 32;

                    private IntPtr m_address;

                    public SocketOverlapped()
                    {
                        m_address = Marshal.AllocHGlobal(NativeOverlappedSize);
                    }

                    public IntPtr Address => m_address;

                    public bool InProgress { get; private set; }

                    public void StartOperation()
                    {
                        InProgress = true;
                    }

                    public void Complete()
                    {
                        InProgress = false;
                    }

                    public void Dispose()
                    {
                        if (m_address != IntPtr.Zero)
                        {
                            Marshal.FreeHGlobal(m_address);
                            m_address = IntPtr.Zero;
                        }
                    }
                }

                internal static class NativeMethods
                {
                    [DllImport("ws2_32.dll", SetLastError = true)]
                    internal static extern SocketError WSARecv(
                        IntPtr socket, IntPtr buffers, int bufferCount, out int bytesTransferred,
                        ref int flags, IntPtr overlapped, IntPtr completionRoutine);
                }
            }
            """;

        /// <summary>
        /// A socket whose Receive starts m_inOverlapped, then throws on a synchronous failure. <paramref name="onMethod"/>
        /// goes above Receive, <paramref name="beforeThrow"/> and <paramref name="afterThrow"/> around the throw.
        /// </summary>
        public static string Receiver(string className, string onMethod = "", string beforeThrow = "", string afterThrow = "", string @namespace = "LeakyApp") => $$"""
            using System;
            using System.Diagnostics.CodeAnalysis;
            using System.Net.Sockets;
            using System.Runtime.InteropServices;
            using LeakyApp;

            namespace {{@namespace}}
            {
                public sealed class {{className}} : IDisposable
                {
                    private readonly IntPtr m_handle;
                    private readonly SocketOverlapped m_inOverlapped = new SocketOverlapped();

                    public {{className}}(IntPtr handle)
                    {
                        m_handle = handle;
                    }

                    {{onMethod}}
                    public void Receive(IntPtr buffers)
                    {
                        m_inOverlapped.StartOperation();

                        int flags = 0;
                        SocketError socketError = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
                        if (socketError != SocketError.Success)
                        {
                            socketError = (SocketError)Marshal.GetLastWin32Error();
                            if (socketError != SocketError.IOPending)
                            {
            {{beforeThrow}}
                                {{ThrowMarker}}
            {{afterThrow}}
                            }
                        }
                    }

                    public void Dispose()
                    {
                        m_inOverlapped.Dispose();
                    }
                }
            }
            """;

        /// <summary>The blog's own fix, wrong: Receive starts m_inOverlapped and completes m_outOverlapped (OVL002).</summary>
        public const string WrongOverlappedCompleted = """
            using System;
            using System.Net.Sockets;
            using System.Runtime.InteropServices;

            namespace LeakyApp
            {
                public sealed class DuplexSocket : IDisposable
                {
                    private readonly IntPtr m_handle;
                    private readonly SocketOverlapped m_inOverlapped = new SocketOverlapped();
                    private readonly SocketOverlapped m_outOverlapped = new SocketOverlapped();

                    public DuplexSocket(IntPtr handle)
                    {
                        m_handle = handle;
                    }

                    public bool Sending => m_outOverlapped.InProgress;

                    public void Receive(IntPtr buffers)
                    {
                        m_inOverlapped.StartOperation();

                        int flags = 0;
                        SocketError socketError = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_inOverlapped.Address, IntPtr.Zero);
                        if (socketError != SocketError.Success)
                        {
                            socketError = (SocketError)Marshal.GetLastWin32Error();
                            if (socketError != SocketError.IOPending)
                            {
                                m_outOverlapped.Complete();
                                throw new SocketException((int)socketError);
                            }
                        }
                    }

                    public void Dispose()
                    {
                        m_inOverlapped.Dispose();
                        m_outOverlapped.Dispose();
                    }
                }
            }
            """;

        /// <summary>Start/finish types no built-in convention knows: only overlapped_analyzers.operation_pairs makes them pairs.</summary>
        public const string CustomOperations = """
            using System;

            namespace MyCompany.Io
            {
                public sealed class IoRequest
                {
                    public IoRequest(IntPtr address)
                    {
                        Address = address;
                    }

                    public IntPtr Address { get; }

                    public bool Pending { get; private set; }

                    public void Begin()
                    {
                        Pending = true;
                    }

                    public void End()
                    {
                        Pending = false;
                    }
                }

                public sealed class RingSlot
                {
                    public RingSlot(IntPtr address)
                    {
                        Address = address;
                    }

                    public IntPtr Address { get; }

                    public bool Busy { get; private set; }

                    public void Submit()
                    {
                        Busy = true;
                    }

                    public void Retire()
                    {
                        Busy = false;
                    }
                }
            }
            """;

        /// <summary>Starts an IoRequest (marker "BEGIN-THROW") and a RingSlot (marker "SUBMIT-THROW"), each leaked on a synchronous failure.</summary>
        public static string CustomOperationUser(string className) => $$"""
            using System;
            using System.Net.Sockets;
            using System.Runtime.InteropServices;
            using LeakyApp;
            using MyCompany.Io;

            namespace Consumers
            {
                public sealed class {{className}}
                {
                    private readonly IntPtr m_handle;
                    private readonly IoRequest m_request;
                    private readonly RingSlot m_slot;

                    public {{className}}(IntPtr handle, IoRequest request, RingSlot slot)
                    {
                        m_handle = handle;
                        m_request = request;
                        m_slot = slot;
                    }

                    public void Read(IntPtr buffers)
                    {
                        m_request.Begin();

                        int flags = 0;
                        SocketError socketError = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_request.Address, IntPtr.Zero);
                        if (socketError != SocketError.Success)
                        {
                            socketError = (SocketError)Marshal.GetLastWin32Error();
                            if (socketError != SocketError.IOPending)
                            {
                                throw new SocketException((int)socketError); // BEGIN-THROW
                            }
                        }
                    }

                    public void Submit(IntPtr buffers)
                    {
                        m_slot.Submit();

                        int flags = 0;
                        SocketError socketError = NativeMethods.WSARecv(m_handle, buffers, 1, out _, ref flags, m_slot.Address, IntPtr.Zero);
                        if (socketError != SocketError.Success)
                        {
                            socketError = (SocketError)Marshal.GetLastWin32Error();
                            if (socketError != SocketError.IOPending)
                            {
                                throw new SocketException((int)socketError); // SUBMIT-THROW
                            }
                        }
                    }
                }
            }
            """;
    }
}
