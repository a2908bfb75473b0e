using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// Dense corpora (issue 15): code where every file is IOCP code, as in the libraries that install the package.
    /// A <em>unit</em> is one self-contained slice of such a library (about 330 lines): an overlapped type (AllocHGlobal block,
    /// Normal GCHandle to itself, StartOperation/Complete, deferred-free Dispose), a pinned buffer, a native scratch helper,
    /// a socket channel with receive/send/accept/connect/disconnect through WSARecv/WSASend/AcceptEx and ConnectEx/DisconnectEx
    /// delegates, and a ThreadPoolBoundHandle file reader. Together they hold the shapes of OVL001–OVL006; each member that
    /// can carry a bug carries one with probability 1/4 (seeded), the rest is correct.
    /// </summary>
    internal static class DenseCorpusGenerator
    {
        private const string Usings =
            "using System;\nusing System.ComponentModel;\nusing System.Net.Sockets;\nusing System.Runtime.InteropServices;\nusing System.Threading;\n\n";

        /// <summary><paramref name="files"/> files of one unit each, every file in its own namespace.</summary>
        public static IReadOnlyList<CorpusFile> Generate(int files, int seed)
        {
            var random = new Random(seed);
            var result = new List<CorpusFile>(files);
            for (var i = 0; i < files; i++)
            {
                var sb = new StringBuilder(14000);
                sb.Append(Usings);
                sb.Append("namespace Dense.N").Append(i.ToString("D4", CultureInfo.InvariantCulture)).Append("\n{\n");
                AppendNative(sb);
                AppendUnit(sb, string.Empty, random);
                sb.Append("}\n");
                result.Add(new CorpusFile($"Dense/Unit{i:D4}.cs", sb.ToString(), true));
            }

            return result;
        }

        /// <summary>One file of about <paramref name="lines"/> lines: as many units as fit, suffixed so their names differ.</summary>
        public static CorpusFile LargeFile(int lines, int seed)
        {
            var random = new Random(seed);
            var sb = new StringBuilder(lines * 48);
            sb.Append(Usings);
            sb.Append("namespace Dense.Large\n{\n");
            AppendNative(sb);
            var unit = 0;
            while (CountLines(sb) < lines - 200)
            {
                AppendUnit(sb, unit.ToString(CultureInfo.InvariantCulture), random);
                unit++;
            }

            sb.Append("}\n");
            return new CorpusFile("Dense/Large.cs", sb.ToString(), true);
        }

        private static int CountLines(StringBuilder sb)
        {
            var count = 0;
            for (var i = 0; i < sb.Length; i++)
            {
                if (sb[i] == '\n')
                {
                    count++;
                }
            }

            return count;
        }

        private static void AppendNative(StringBuilder sb)
        {
            sb.Append("""
                    internal static unsafe class Native
                    {
                        public const int ERROR_IO_PENDING = 997;
                        public const int SOCKET_ERROR = -1;

                        [DllImport("ws2_32.dll", SetLastError = true)]
                        public static extern int WSARecv(IntPtr socket, IntPtr buffers, int count, out int transferred, ref SocketFlags flags, IntPtr overlapped, IntPtr completion);

                        [DllImport("ws2_32.dll", SetLastError = true)]
                        public static extern SocketError WSASend(IntPtr socket, IntPtr buffers, int count, out int transferred, SocketFlags flags, IntPtr overlapped, IntPtr completion);

                        [DllImport("mswsock.dll", SetLastError = true)]
                        public static extern bool AcceptEx(IntPtr listen, IntPtr accept, IntPtr buffer, int receiveLength, int localLength, int remoteLength, out int received, IntPtr overlapped);

                        [DllImport("kernel32.dll", SetLastError = true)]
                        public static extern bool ReadFile(SafeHandle file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);
                    }

                    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
                    internal delegate bool ConnectExDelegate(IntPtr socket, IntPtr address, int addressLength, IntPtr buffer, int length, out int sent, IntPtr overlapped);

                    [UnmanagedFunctionPointer(CallingConvention.StdCall, SetLastError = true)]
                    internal delegate bool DisconnectExDelegate(IntPtr socket, IntPtr overlapped, int flags, int reserved);


                """);
        }

        private static bool Bug(Random random) => random.Next(4) == 0;

        private static void AppendUnit(StringBuilder sb, string k, Random random)
        {
            AppendOverlapped(sb, k, completeFreesDisposed: !Bug(random));
            AppendPinnedBuffer(sb, k, disposeFrees: !Bug(random), switchFrees: !Bug(random));
            AppendScratch(sb, k, copyFrees: !Bug(random), pinFrees: !Bug(random));
            AppendChannel(sb, k, random);
            AppendFileReader(sb, k, readFrees: !Bug(random));
        }

        /// <summary>The overlapped type. Buggy variant (OVL004): Complete clears the flag but never frees a disposed one.</summary>
        private static void AppendOverlapped(StringBuilder sb, string k, bool completeFreesDisposed)
        {
            var free = completeFreesDisposed ? "\n            if (Disposed)\n            {\n                Free();\n            }" : string.Empty;
            sb.Append($$"""
                    /// <summary>An OVERLAPPED block in native memory with a Normal GCHandle to its managed owner.</summary>
                    internal sealed class Overlapped{{k}} : IDisposable
                    {
                        private const int OverlappedSize = 32;
                        private readonly IntPtr m_address;
                        private GCHandle m_handle;

                        public Overlapped{{k}}(object owner)
                        {
                            Owner = owner;
                            m_address = Marshal.AllocHGlobal(OverlappedSize + IntPtr.Size);
                            for (int i = 0; i < OverlappedSize; i++)
                            {
                                Marshal.WriteByte(m_address, i, 0);
                            }

                            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
                            Marshal.WriteIntPtr(m_address, OverlappedSize, GCHandle.ToIntPtr(m_handle));
                        }

                        public IntPtr Address => m_address;
                        public object Owner { get; }
                        public bool InProgress { get; private set; }
                        public bool Disposed { get; private set; }
                        public int BytesTransferred { get; private set; }

                        public void StartOperation()
                        {
                            InProgress = true;
                            BytesTransferred = 0;
                        }

                        public void Complete()
                        {
                            InProgress = false;{{free}}
                        }

                        public static Overlapped{{k}} FromAddress(IntPtr overlapped)
                        {
                            var handle = GCHandle.FromIntPtr(Marshal.ReadIntPtr(overlapped, OverlappedSize));
                            return (Overlapped{{k}})handle.Target;
                        }

                        public static void CompleteOperation(IntPtr overlapped, int bytes)
                        {
                            var target = FromAddress(overlapped);
                            target.BytesTransferred = bytes;
                            target.Complete();
                        }

                        public void Dispose()
                        {
                            Disposed = true;
                            if (!InProgress)
                            {
                                Free();
                            }
                        }

                        private void Free()
                        {
                            if (m_handle.IsAllocated)
                            {
                                m_handle.Free();
                                Marshal.FreeHGlobal(m_address);
                            }
                        }
                    }


                """);
        }

        /// <summary>A pinned buffer. Buggy variants: Dispose never frees the handle (OVL003); Switch re-pins without freeing (OVL003).</summary>
        private static void AppendPinnedBuffer(StringBuilder sb, string k, bool disposeFrees, bool switchFrees)
        {
            var freeOnSwitch = switchFrees ? "            if (m_handle.IsAllocated)\n            {\n                m_handle.Free();\n            }\n\n" : string.Empty;
            var dispose = disposeFrees ? "            if (m_handle.IsAllocated)\n            {\n                m_handle.Free();\n            }\n" : "            m_buffer = null;\n";
            sb.Append($$"""
                    /// <summary>A managed buffer pinned for the kernel while a receive or send is outstanding.</summary>
                    internal sealed class PinnedBuffer{{k}} : IDisposable
                    {
                        private GCHandle m_handle;
                        private byte[] m_buffer;

                        public PinnedBuffer{{k}}(byte[] buffer)
                        {
                            m_buffer = buffer;
                            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
                        }

                        public IntPtr Address => m_handle.AddrOfPinnedObject();
                        public int Length => m_buffer.Length;

                        public void Switch(byte[] buffer)
                        {
                {{freeOnSwitch}}            m_buffer = buffer;
                            m_handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
                        }

                        public void Dispose()
                        {
                {{dispose}}        }
                    }


                """);
        }

        /// <summary>Native scratch memory lent to the framework. Buggy variants: free only on success (OVL005); pin not freed on throw (OVL003).</summary>
        private static void AppendScratch(StringBuilder sb, string k, bool copyFrees, bool pinFrees)
        {
            var copy = copyFrees
                ? """
                            IntPtr block = Marshal.AllocHGlobal(data.Length);
                            try
                            {
                                Marshal.Copy(data, 0, block, data.Length);
                                return Checksum(block, data.Length);
                            }
                            finally
                            {
                                Marshal.FreeHGlobal(block);
                            }
                """
                : """
                            IntPtr block = Marshal.AllocHGlobal(data.Length);
                            Marshal.Copy(data, 0, block, data.Length);
                            if (data.Length > 65536)
                            {
                                throw new ArgumentOutOfRangeException(nameof(data));
                            }

                            int sum = Checksum(block, data.Length);
                            Marshal.FreeHGlobal(block);
                            return sum;
                """;
            var pin = pinFrees
                ? """
                            GCHandle pin = GCHandle.Alloc(data, GCHandleType.Pinned);
                            try
                            {
                                return Checksum(pin.AddrOfPinnedObject(), data.Length);
                            }
                            finally
                            {
                                pin.Free();
                            }
                """
                : """
                            GCHandle pin = GCHandle.Alloc(data, GCHandleType.Pinned);
                            if (data.Length == 0)
                            {
                                throw new ArgumentException("empty", nameof(data));
                            }

                            int sum = Checksum(pin.AddrOfPinnedObject(), data.Length);
                            pin.Free();
                            return sum;
                """;
            sb.Append($$"""
                    internal static class Scratch{{k}}
                    {
                        public static int CopyAndSum(byte[] data)
                        {
                {{copy}}
                        }

                        public static int PinAndSum(byte[] data)
                        {
                {{pin}}
                        }

                        private static int Checksum(IntPtr block, int length)
                        {
                            int sum = 0;
                            for (int i = 0; i < length; i++)
                            {
                                sum = (sum * 31) + Marshal.ReadByte(block, i);
                            }

                            return sum;
                        }
                    }


                """);
        }

        /// <summary>
        /// The socket. Buggy variants, each 1 in 4: Receive throws without Complete (OVL001) or completes the other
        /// overlapped (OVL002); Send and Accept throw without Complete (OVL001); Connect starts after ConnectEx (OVL006);
        /// Dispose forgets the send overlapped (OVL004).
        /// </summary>
        private static void AppendChannel(StringBuilder sb, string k, Random random)
        {
            var receiveShape = random.Next(8);
            var receiveFinish = receiveShape switch { 0 => string.Empty, 1 => "                    m_send.Complete();\n", _ => "                    m_receive.Complete();\n" };
            var sendFinish = Bug(random) ? string.Empty : "                m_send.Complete();\n";
            var acceptFinish = Bug(random) ? string.Empty : "                        overlapped.Complete();\n";
            var connectLate = Bug(random);
            var disposeSend = Bug(random) ? string.Empty : "            m_send.Dispose();\n";
            var startEarly = connectLate ? string.Empty : "            m_send.StartOperation();\n";
            var startLate = connectLate ? "            m_send.StartOperation();\n" : string.Empty;
            var connectFailFinish = connectLate ? string.Empty : "                    m_send.Complete();\n";
            sb.Append($$"""
                    internal sealed class Channel{{k}} : IDisposable
                    {
                        private readonly IntPtr m_handle;
                        private readonly Overlapped{{k}} m_receive;
                        private readonly Overlapped{{k}} m_send;
                        private readonly ConnectExDelegate m_connectEx;
                        private readonly DisconnectExDelegate m_disconnectEx;
                        private long m_received;

                        public Channel{{k}}(IntPtr handle, ConnectExDelegate connectEx, DisconnectExDelegate disconnectEx)
                        {
                            m_handle = handle;
                            m_connectEx = connectEx;
                            m_disconnectEx = disconnectEx;
                            m_receive = new Overlapped{{k}}(this);
                            m_send = new Overlapped{{k}}(this);
                        }

                        public long Received => m_received;

                        public void Receive(IntPtr buffers, int count)
                        {
                            m_receive.StartOperation();
                            SocketFlags flags = SocketFlags.None;
                            int result = Native.WSARecv(m_handle, buffers, count, out int transferred, ref flags, m_receive.Address, IntPtr.Zero);
                            if (result == Native.SOCKET_ERROR)
                            {
                                var error = (SocketError)Marshal.GetLastWin32Error();
                                if (error != SocketError.IOPending)
                                {
                {{receiveFinish}}                    throw new SocketException((int)error);
                                }
                            }
                            else
                            {
                                m_received += transferred;
                            }
                        }

                        public void Send(IntPtr buffers, int count)
                        {
                            m_send.StartOperation();
                            SocketError result = Native.WSASend(m_handle, buffers, count, out int transferred, SocketFlags.None, m_send.Address, IntPtr.Zero);
                            if (result == SocketError.SocketError)
                            {
                                int error = Marshal.GetLastWin32Error();
                                if (error == Native.ERROR_IO_PENDING)
                                {
                                    return;
                                }

                {{sendFinish}}                throw new SocketException(error);
                            }
                        }

                        public void Accept(Channel{{k}} listener, IntPtr buffer, int receiveLength)
                        {
                            Overlapped{{k}} overlapped = listener.m_receive;
                            overlapped.StartOperation();
                            if (!Native.AcceptEx(listener.m_handle, m_handle, buffer, receiveLength, 32, 32, out int received, overlapped.Address))
                            {
                                var error = (SocketError)Marshal.GetLastWin32Error();
                                switch (error)
                                {
                                    case SocketError.IOPending:
                                        return;
                                    default:
                {{acceptFinish}}                        throw new SocketException((int)error);
                                }
                            }
                        }

                        public void Connect(IntPtr address, int addressLength)
                        {
                {{startEarly}}            if (!m_connectEx(m_handle, address, addressLength, IntPtr.Zero, 0, out int sent, m_send.Address))
                            {
                                int error = Marshal.GetLastWin32Error();
                                if (error != Native.ERROR_IO_PENDING)
                                {
                {{connectFailFinish}}                    throw new SocketException(error);
                                }
                            }
                {{startLate}}        }

                        public void Disconnect()
                        {
                            m_send.StartOperation();
                            if (!m_disconnectEx(m_handle, m_send.Address, 0, 0))
                            {
                                int error = Marshal.GetLastWin32Error();
                                if (error != Native.ERROR_IO_PENDING)
                                {
                                    m_send.Complete();
                                    throw new SocketException(error);
                                }
                            }
                        }

                        public void Dispose()
                        {
                            m_receive.Dispose();
                {{disposeSend}}        }
                    }


                """);
        }

        /// <summary>A ThreadPoolBoundHandle reader. Buggy variant (OVL001): the native overlapped is not freed on synchronous failure.</summary>
        private static void AppendFileReader(StringBuilder sb, string k, bool readFrees)
        {
            var free = readFrees ? "                        m_bound.FreeNativeOverlapped(overlapped);\n" : string.Empty;
            sb.Append($$"""
                    public sealed unsafe class FileReader{{k}} : IDisposable
                    {
                        private readonly SafeHandle m_file;
                        private readonly ThreadPoolBoundHandle m_bound;

                        public FileReader{{k}}(SafeHandle file)
                        {
                            m_file = file;
                            m_bound = ThreadPoolBoundHandle.BindHandle(file);
                        }

                        public void Read(byte[] buffer)
                        {
                            NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(OnCompleted, null, buffer);
                            fixed (byte* p = buffer)
                            {
                                if (!Native.ReadFile(m_file, p, buffer.Length, IntPtr.Zero, overlapped))
                                {
                                    int error = Marshal.GetLastWin32Error();
                                    if (error != Native.ERROR_IO_PENDING)
                                    {
                {{free}}                        throw new Win32Exception(error);
                                    }
                                }
                            }
                        }

                        private void OnCompleted(uint errorCode, uint bytes, NativeOverlapped* overlapped)
                        {
                            m_bound.FreeNativeOverlapped(overlapped);
                        }

                        public void Dispose()
                        {
                            m_bound.Dispose();
                        }
                    }


                """);
        }
    }
}
