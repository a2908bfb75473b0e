using System.Threading.Tasks;
using OverlappedAnalyzers.Rules;
using OverlappedAnalyzers.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL007
{
    /// <summary>
    /// Bool flags that carry the error check to a later release: the state is split by the flag's value, so a free
    /// under "if (failed)" is judged on the path that set the flag, not on the join of every path.
    /// </summary>
    public class Ovl007FlagTests
    {
        private static Task Check(string body) =>
            Verify<PrematureReleaseAnalyzer>.DiagnosticsAsync(Ovl007Sources.Wrap(body), allowUnsafe: true);

        [Fact]
        public Task FlagSetOnlyWhenTheErrorIsASpecificCode_FreeUnderTheFlag_NoDiagnostic() => Check(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public bool Read(byte[] buffer)
    {
        bool failed = false;
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, buffer);
        fixed (byte* data = buffer)
        {
            if (!Kernel32.ReadFile(m_file, data, buffer.Length, IntPtr.Zero, native) && Marshal.GetLastWin32Error() == 10054)
            {
                failed = true;
            }
        }

        if (failed)
        {
            m_handle.FreeNativeOverlapped(native);
            return false;
        }

        return true;
    }
}");

        [Fact]
        public Task FlagSetOnTheFailureIndicationAlone_FreeUnderTheFlag_Reports() => Check(@"
unsafe class FileReader
{
    private readonly ThreadPoolBoundHandle m_handle = null!;
    private readonly IntPtr m_file;

    public bool Read(byte[] buffer)
    {
        bool failed = false;
        NativeOverlapped* native = m_handle.AllocateNativeOverlapped((e, n, p) => { }, null, buffer);
        fixed (byte* data = buffer)
        {
            if (!Kernel32.ReadFile(m_file, data, buffer.Length, IntPtr.Zero, native))
            {
                failed = true;
            }
        }

        if (failed)
        {
            {|OVL007:m_handle.FreeNativeOverlapped(native)|};
            return false;
        }

        return true;
    }
}");
    }
}
