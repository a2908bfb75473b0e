using System;
using System.Net.Sockets;
using Io;

var overlapped = new Overlapped();
overlapped.StartOperation(OperationType.Receive);
var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, overlapped.Address);
if (error != SocketError.IOPending)
{
    throw new SocketException((int)error);
}

Console.WriteLine(Classify(error));

static string Classify(SocketError e) => e switch
{
    SocketError.IOPending => "pending",
    SocketError.Success => "done",
    _ => "failed",
};
