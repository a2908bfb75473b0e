using OverlappedAnalyzers.Flow.Release;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL007
{
    /// <summary>Which names are I/O calls whose failure indication may mean pending, and how their result reads.</summary>
    public class IoCallNamesTests
    {
        [Theory]
        [InlineData("ReadFile", false, "ReadFile", false, false)]
        [InlineData("WriteFile", false, "WriteFile", false, false)]
        [InlineData("DeviceIoControl", false, "DeviceIoControl", false, false)]
        [InlineData("ConnectNamedPipe", false, "ConnectNamedPipe", false, false)]
        [InlineData("LockFileEx", false, "LockFileEx", false, false)]
        [InlineData("WaitCommEvent", false, "WaitCommEvent", false, false)]
        [InlineData("AcceptEx", false, "AcceptEx", true, false)]
        [InlineData("WSARecvFrom", false, "WSARecvFrom", true, true)]
        [InlineData("WSASendMsg", false, "WSASendMsg", true, true)]
        [InlineData("WSAIoctl", false, "WSAIoctl", true, true)]
        [InlineData("m_acceptEx", true, "AcceptEx", true, false)]
        [InlineData("LPFN_CONNECTEX", true, "ConnectEx", true, false)]
        [InlineData("DisconnectExDelegate", true, "DisconnectEx", true, false)]
        [InlineData("_transmitFile", true, "TransmitFile", true, false)]
        public void Recognised(string name, bool decorated, string canonical, bool alwaysOverlapped, bool winsockInt)
        {
            Assert.True(IoCallNames.TryClassify(name, decorated, out var actualConvention, out var actualAlways, out var actualName));
            Assert.Equal(canonical, actualName);
            Assert.Equal(alwaysOverlapped, actualAlways);
            Assert.Equal(winsockInt ? IoResultConvention.SocketErrorInt : IoResultConvention.Bool, actualConvention);
        }

        [Theory]
        [InlineData("ReadDirectoryChangesW", false)]
        [InlineData("GetOverlappedResult", false)]
        [InlineData("WSAGetOverlappedResult", false)]
        [InlineData("CancelIoEx", false)]
        [InlineData("UnlockFileEx", false)]
        [InlineData("WSAIoctlEx", false)]
        [InlineData("ReadFileEx", false)]
        [InlineData("m_reader", true)]
        public void NotAnIoCallThatMayBePending(string name, bool decorated)
        {
            Assert.False(IoCallNames.TryClassify(name, decorated, out _, out _, out _));
        }
    }
}
