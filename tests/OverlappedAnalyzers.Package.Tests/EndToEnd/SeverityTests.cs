using System.Collections.Generic;
using System.Linq;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>.editorconfig severities as a user sets them: the strict preset from samples/ci fails the build.</summary>
    public sealed class SeverityTests
    {
        [Fact]
        public void Strict_preset_editorconfig_makes_OVL001_an_error_that_fails_the_build()
        {
            var project = TempProject.Create("SeverityError", new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                ["OverlappedSocket.cs"] = Sources.Receiver("OverlappedSocket"),
                [".editorconfig"] = RepositoryFiles.Read("samples/ci/overlapped-strict.editorconfig"),
            });

            try
            {
                var build = project.Build();

                Assert.True(build.ExitCode != 0, build.ToString());
                var diagnostic = Assert.Single(build.WithId("OVL001"));
                Assert.Equal("error", diagnostic.Severity);
                Assert.Equal(project.LineOf("OverlappedSocket.cs", Sources.ThrowMarker), diagnostic.Line);
                Assert.DoesNotContain(build.Diagnostics, d => d.Id == "OVL001" && d.Severity == "warning");
            }
            finally
            {
                project.Delete();
            }
        }
    }
}
