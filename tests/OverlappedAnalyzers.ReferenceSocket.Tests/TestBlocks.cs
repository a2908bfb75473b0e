using System;
using System.Net;
using System.Runtime.InteropServices;
using OverlappedAnalyzers.ReferenceSocket.Simulation;

namespace OverlappedAnalyzers.ReferenceSocket.Tests
{
    /// <summary>Raw OVERLAPPED blocks and WSABUFs for driving the simulated kernel directly.</summary>
    internal sealed class RawBlock : IDisposable
    {
        private readonly SimulatedKernel m_kernel;

        public RawBlock(SimulatedKernel kernel, int dataLength = 16)
        {
            m_kernel = kernel;
            Address = Marshal.AllocHGlobal(64);
            for (int i = 0; i < 64; i += 8)
            {
                Marshal.WriteInt64(Address, i, 0);
            }

            kernel.OverlappedBlockAllocated(Address, 64);
            Data = Marshal.AllocHGlobal(dataLength);
            WsaBuffer = Marshal.AllocHGlobal(2 * IntPtr.Size);
            Marshal.WriteInt32(WsaBuffer, 0, dataLength);
            Marshal.WriteIntPtr(WsaBuffer, IntPtr.Size, Data);
            DataLength = dataLength;
        }

        public IntPtr Address { get; private set; }

        public IntPtr Data { get; }

        public IntPtr WsaBuffer { get; }

        public int DataLength { get; }

        public bool IsFreed => Address == IntPtr.Zero;

        public IntPtr FreedAddress { get; private set; }

        public int InternalStatus => (int)Marshal.ReadIntPtr(Address, 0);

        public void FreeBlock()
        {
            if (Address != IntPtr.Zero)
            {
                m_kernel.OverlappedBlockFreeing(Address);
                Marshal.FreeHGlobal(Address);
                FreedAddress = Address;
                Address = IntPtr.Zero;
            }
        }

        public void Dispose()
        {
            FreeBlock();
            Marshal.FreeHGlobal(Data);
            Marshal.FreeHGlobal(WsaBuffer);
        }
    }

    internal static class Sockaddr
    {
        public static void WithAddress(int port, Action<IntPtr, int> action)
        {
            byte[] bytes = SocketAddressCodec.Encode(new IPEndPoint(IPAddress.Loopback, port));
            GCHandle pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            try
            {
                action(pin.AddrOfPinnedObject(), bytes.Length);
            }
            finally
            {
                pin.Free();
            }
        }
    }
}
