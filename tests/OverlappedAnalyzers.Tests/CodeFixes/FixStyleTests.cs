using System.Threading.Tasks;
using OverlappedAnalyzers.CodeFixes;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.CodeFixes
{
    /// <summary>
    /// Every fix writes in the file's own style: names simplified against its usings, its line ending, its
    /// indentation (from .editorconfig or the file), its blank lines, comments kept with what they describe.
    /// Exact fixed code; the framework also checks Fix All in document, project and solution scope.
    /// </summary>
    public class FixStyleTests
    {
        private const string BclUsings = @"using System;
using System.Threading;

";

        [Fact]
        public Task OverlappedFree_IsSimplifiedAgainstTheFilesUsing() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(BclUsings + @"unsafe class LegacyReader
{
    public bool Read(Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        if (ReadFileNative(packed) != 997)
        {
            {|OVL001:return false;|}
        }

        Overlapped.Free(packed);
        return true;
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}
", BclUsings + @"unsafe class LegacyReader
{
    public bool Read(Overlapped managed)
    {
        NativeOverlapped* packed = managed.Pack(null, null);
        if (ReadFileNative(packed) != 997)
        {
            Overlapped.Free(packed);
            return false;
        }

        Overlapped.Free(packed);
        return true;
    }

    private static int ReadFileNative(NativeOverlapped* overlapped) => 0;
}
", allowUnsafe: true);

        [Fact]
        public Task CompleteBeforeACommentedThrow_GoesAboveTheCommentAndKeepsTheBlankLine() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(@"using System;
using System.Net.Sockets;
using Io;

class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            Console.WriteLine(error);

            // the request never reached the driver:
            // no completion will arrive
            {|OVL001:throw new SocketException((int)error);|} // reset by peer
        }
    }
}
", @"using System;
using System.Net.Sockets;
using Io;

class Socket
{
    private readonly Overlapped m_in = new Overlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
        if (error != SocketError.IOPending)
        {
            Console.WriteLine(error);

            m_in.Complete();
            // the request never reached the driver:
            // no completion will arrive
            throw new SocketException((int)error); // reset by peer
        }
    }
}
");

        [Fact]
        public Task SynthesizedComplete_InACrlfFile_IsWrittenWithCrlf() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(Crlf(@"using System;
using System.Net.Sockets;
using Io;

class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        InProgress = true;
    }
}

class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
            {|OVL001:throw new InvalidOperationException();|}
    }
}
"), Crlf(@"using System;
using System.Net.Sockets;
using Io;

class UpstreamOverlapped
{
    public bool InProgress { get; private set; }
    public IntPtr Address { get; }

    public void StartOperation(OperationType type)
    {
        InProgress = true;
    }

    public void Complete()
    {
        InProgress = false;
    }
}

class Socket
{
    private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

    public void Receive()
    {
        m_in.StartOperation(OperationType.Receive);
        if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending)
        {
            m_in.Complete();
            throw new InvalidOperationException();
        }
    }
}
"));

        [Fact]
        public Task SynthesizedComplete_FollowsTheFilesIndentationAndBraceStyle() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(@"using System;
using System.Net.Sockets;
using Io;

class UpstreamOverlapped {
  private bool m_inProgress;
  public IntPtr Address { get; }

  public void StartOperation(OperationType type) {
    this.m_inProgress = true;
  }
}

class Socket {
  private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

  public void Receive() {
    m_in.StartOperation(OperationType.Receive);
    if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {
      {|OVL001:throw new InvalidOperationException();|}
    }
  }
}
", @"using System;
using System.Net.Sockets;
using Io;

class UpstreamOverlapped {
  private bool m_inProgress;
  public IntPtr Address { get; }

  public void StartOperation(OperationType type) {
    this.m_inProgress = true;
  }

  public void Complete() {
    m_inProgress = false;
  }
}

class Socket {
  private readonly UpstreamOverlapped m_in = new UpstreamOverlapped();

  public void Receive() {
    m_in.StartOperation(OperationType.Receive);
    if (Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address) != SocketError.IOPending) {
      m_in.Complete();
      throw new InvalidOperationException();
    }
  }
}
");

        [Fact]
        public Task EmbeddedExit_WrappedWithTheEditorconfigsTabs() =>
            Verify<SyncFailureAnalyzer, CompleteBeforeExitCodeFixProvider>.FixAsync(@"using System;
using System.Net.Sockets;
using Io;

class Socket
{
	private readonly Overlapped m_in = new Overlapped();

	public bool TryReceive()
	{
		m_in.StartOperation(OperationType.Receive);
		var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
		if (error != SocketError.Success && error != SocketError.IOPending)
			{|OVL001:return false;|}
		return true;
	}
}
", @"using System;
using System.Net.Sockets;
using Io;

class Socket
{
	private readonly Overlapped m_in = new Overlapped();

	public bool TryReceive()
	{
		m_in.StartOperation(OperationType.Receive);
		var error = Native.WSARecv(IntPtr.Zero, IntPtr.Zero, m_in.Address);
		if (error != SocketError.Success && error != SocketError.IOPending)
		{
			m_in.Complete();
			return false;
		}
		return true;
	}
}
", editorConfig: "indent_style = tab\nindent_size = 4");

        [Fact]
        public Task FreeInAOneLineDispose_OpensTheBodyOntoIndentedLines() =>
            Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(@"using System;
using System.Runtime.InteropServices;

namespace Io.Buffers
{
    class Pinned : IDisposable
    {
        private GCHandle m_pin;

        public Pinned(byte[] buffer)
        {
            m_pin = {|OVL003:GCHandle.Alloc(buffer, GCHandleType.Pinned)|};
        }

        public void Dispose() { }
    }
}
", @"using System;
using System.Runtime.InteropServices;

namespace Io.Buffers
{
    class Pinned : IDisposable
    {
        private GCHandle m_pin;

        public Pinned(byte[] buffer)
        {
            m_pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        }

        public void Dispose()
        {
            if (m_pin.IsAllocated)
            {
                m_pin.Free();
            }
        }
    }
}
");

        [Fact]
        public Task FreeInAOneLineDispose_InACrlfFileWithExistingStatement() =>
            Verify<HandleLeakAnalyzer, HandleLeakCodeFixProvider>.FixAsync(Crlf(@"using System;
using System.Runtime.InteropServices;

class Block : IDisposable
{
    private IntPtr m_block;
    private bool m_disposed;

    public Block()
    {
        m_block = {|OVL005:Marshal.AllocHGlobal(64)|};
    }

    public void Dispose() { m_disposed = true; }
}
"), Crlf(@"using System;
using System.Runtime.InteropServices;

class Block : IDisposable
{
    private IntPtr m_block;
    private bool m_disposed;

    public Block()
    {
        m_block = Marshal.AllocHGlobal(64);
    }

    public void Dispose()
    {
        m_disposed = true;
        if (m_block != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(m_block);
            m_block = IntPtr.Zero;
        }
    }
}
"));

        private static string Crlf(string text) => text.Replace("\r\n", "\n").Replace("\n", "\r\n");
    }
}
