using System;
using System.Net.Sockets;
using Io;

namespace Corpus.Modern;

public sealed class PrimarySocket(IntPtr handle, Overlapped overlapped)
{
    public record struct Outcome(SocketError Error, int Bytes);

    public Outcome Receive()
    {
        overlapped.StartOperation(OperationType.Receive);
        var outcome = new Outcome(Native.WSARecv(handle, IntPtr.Zero, overlapped.Address), 0);
        if (outcome is { Error: not SocketError.IOPending and not SocketError.Success })
        {
            overlapped.Complete();
            throw new SocketException((int)outcome.Error);
        }

        return outcome;
    }

    public static int Sum(int[] values) => values switch
    {
        [] => 0,
        [var single] => single,
        [var first, .. var rest] => first + Sum(rest),
    };

    public unsafe int Pointers(delegate*<int, int> f, int[] values)
    {
        fixed (int* p = values)
        {
            return f(p[0]);
        }
    }

    public int Jumps(int n)
    {
        var i = 0;
    again:
        if (i++ < n)
        {
            goto again;
        }

        return i;
    }
}
