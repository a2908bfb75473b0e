using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL005
{
    /// <summary>
    /// Lent to a method of the compilation (issue 12, item 3): a helper whose body only reads or writes through the
    /// block (<c>Decode(block, length)</c>) lends it like a P/Invoke; a helper that stores, frees, returns or passes it
    /// on to code the analysis cannot see stays an escape (precision first).
    /// </summary>
    public class Ovl005LentToSourceMethodsTests
    {
        private const string WinSock = @"
using System;
using System.Runtime.InteropServices;

static class WinSock
{
    public const int SOCKET_ERROR = -1;

    [DllImport(""ws2_32.dll"")]
    public static extern int getpeername(IntPtr socket, IntPtr address, ref int length);

    [DllImport(""ws2_32.dll"")]
    public static extern int getsockname(IntPtr socket, IntPtr address, ref int length);
}
";

        /// <summary>The DenseLibrary false negative (SocketAddressEncoder.Query), reduced.</summary>
        [Fact]
        public Task LentInConditionalBranches_DecodedByReadingHelper_ThrowLeaks_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Encoder
{
    public static int Decode(IntPtr source, int length)
    {
        short family = Marshal.ReadInt16(source, 0);
        return family == 2 && length >= 16 ? ReadBytes(source, 4, 4)[0] : Marshal.ReadInt32(source, 24);
    }

    private static byte[] ReadBytes(IntPtr source, int offset, int count)
    {
        var bytes = new byte[count];
        Marshal.Copy(source + offset, bytes, 0, count);
        return bytes;
    }

    public static int Query(IntPtr socket, bool remote)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int result = remote ? WinSock.getpeername(socket, block, ref length) : WinSock.getsockname(socket, block, ref length);
        if (result == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        var value = Decode(block, length);
        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task LentInConditionalBranches_ReadByMarshal_ThrowLeaks_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Encoder
{
    public static int Query(IntPtr socket, bool remote)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int result = remote ? WinSock.getpeername(socket, block, ref length) : WinSock.getsockname(socket, block, ref length);
        if (result == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        var value = Marshal.ReadInt32(block);
        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperOnlyReads_ThrowBeforeFree_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => length > 4 ? Marshal.ReadInt32(source, 4) : Marshal.ReadByte(source);
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperWritesThroughPointerAndLendsToPInvoke_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr destination, int length)
    {
        Marshal.WriteInt16(destination, 0, 2);
        int size = length;
        return WinSock.getsockname(IntPtr.Zero, destination + 2, ref size);
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperPassesOnToAnotherReadingHelper_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => Read(source, length);

    private static int Read(IntPtr source, int offset)
    {
        var bytes = new byte[4];
        Marshal.Copy(source + offset, bytes, 0, 4);
        return bytes[0];
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task RecursiveReadingHelper_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => length <= 0 ? 0 : Marshal.ReadByte(source) + Use(source + 1, length - 1);
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task ReadingConstructor_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => new Reader(source, length).Value;
}

sealed class Reader
{
    public Reader(IntPtr source, int length) { Value = Marshal.ReadInt32(source, length - 4); }

    public int Value { get; }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperStoresInField_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    private static IntPtr s_last;

    public static int Use(IntPtr source, int length)
    {
        s_last = source;
        return length;
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperFrees_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length)
    {
        Marshal.FreeHGlobal(source);
        return length;
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperReturnsIt_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => Keep(source).ToInt32() + length;

    private static IntPtr Keep(IntPtr source) => source;
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperPassesItToUnknownMethod_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length)
    {
        System.Console.WriteLine(source);
        return length;
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task HelperCapturesItInALambda_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static System.Func<int> Later;

    public static int Use(IntPtr source, int length)
    {
        Later = () => Marshal.ReadInt32(source);
        return length;
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task VirtualHelper_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => new Base().Read(source) + length;
}

class Base
{
    public virtual int Read(IntPtr source) => Marshal.ReadInt32(source);
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task RecursiveHelperThatAlsoFrees_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length)
    {
        if (length <= 0)
        {
            Marshal.FreeHGlobal(source);
            return 0;
        }

        return Use(source, length - 1);
    }
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task ChainDeeperThanTheBound_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => R1(source);
    private static int R1(IntPtr p) => R2(p);
    private static int R2(IntPtr p) => R3(p);
    private static int R3(IntPtr p) => R4(p);
    private static int R4(IntPtr p) => R5(p);
    private static int R5(IntPtr p) => Marshal.ReadInt32(p);
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task ChainWithinTheBound_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Helper
{
    public static int Use(IntPtr source, int length) => R1(source);
    private static int R1(IntPtr p) => R2(p);
    private static int R2(IntPtr p) => R3(p);
    private static int R3(IntPtr p) => R4(p);
    private static int R4(IntPtr p) => Marshal.ReadInt32(p);
}

static class Encoder
{
    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = {|OVL005:Marshal.AllocHGlobal(length)|};
        int value = Helper.Use(block, length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            throw new InvalidOperationException();
        }

        Marshal.FreeHGlobal(block);
        return value;
    }
}");

        [Fact]
        public Task ReadingHelperButNoFreeAfterIt_GivenAway_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
static class Encoder
{
    private static int Decode(IntPtr source) => Marshal.ReadInt32(source);

    public static int Query(IntPtr socket)
    {
        int length = 128;
        IntPtr block = Marshal.AllocHGlobal(length);
        if (WinSock.getsockname(socket, block, ref length) == WinSock.SOCKET_ERROR)
        {
            Marshal.FreeHGlobal(block);
            throw new InvalidOperationException();
        }

        return Decode(block);
    }
}");

        [Fact]
        public Task FieldOnlyReadByAHelper_NothingFreesIt_Reports() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
sealed class Header
{
    private readonly IntPtr m_block;

    public Header() { m_block = {|OVL005:Marshal.AllocHGlobal(16)|}; }

    public int Version => Read(m_block);

    private static int Read(IntPtr source) => Marshal.ReadInt32(source);
}");

        [Fact]
        public Task FieldHandedToAHelperThatFreesIt_NoDiagnostic() => Verify<HandleLeakAnalyzer>.DiagnosticsAsync(WinSock + @"
sealed class Header : IDisposable
{
    private readonly IntPtr m_block;

    public Header() { m_block = Marshal.AllocHGlobal(16); }

    public int Version => Marshal.ReadInt32(m_block);

    public void Dispose() => Release(m_block);

    private static void Release(IntPtr block) => Marshal.FreeHGlobal(block);
}");
    }
}
