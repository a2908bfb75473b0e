using System;
using System.Collections.Generic;
using System.Linq;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>
    /// overlapped_analyzers.operation_pairs declares start/finish pairs no built-in convention knows.
    /// Configured/ has the key (one fully qualified, one simple type name); Unconfigured/ has the same code
    /// without it, and must stay silent: the pairs come from the configuration, not from a guess.
    /// The entries are separated by ',' as docs/configuration.md advises: the compiler's editorconfig reader
    /// cuts a value at ';' (an inline comment to it), so "A; B" reaches the analyzer as "A".
    /// </summary>
    public sealed class ConfiguredPairsTests : IClassFixture<ConfiguredPairsTests.PairsProject>
    {
        private readonly PairsProject _scenario;

        public ConfiguredPairsTests(PairsProject scenario)
        {
            _scenario = scenario;
        }

        [Fact]
        public void Pair_with_a_fully_qualified_type_name_is_checked()
        {
            AssertReported("BEGIN-THROW", "m_request");
        }

        [Fact]
        public void Pair_with_a_simple_type_name_is_checked()
        {
            AssertReported("SUBMIT-THROW", "m_slot");
        }

        [Fact]
        public void Same_code_without_the_key_is_not_reported()
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.DoesNotContain(build.WithId("OVL001"), d => d.IsIn("UnconfiguredUser.cs"));
        }

        private void AssertReported(string marker, string receiver)
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());
            var expectedLine = _scenario.Project.LineOf("Configured/ConfiguredUser.cs", marker);
            var diagnostic = Assert.Single(build.WithId("OVL001"), d => d.IsIn("ConfiguredUser.cs") && d.Line == expectedLine);
            Assert.Contains(receiver, diagnostic.Message, StringComparison.Ordinal);
        }

        public sealed class PairsProject : IDisposable
        {
            private readonly Lazy<TempProject> _project = new Lazy<TempProject>(() => TempProject.Create("ConfiguredPairs", new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                ["CustomOperations.cs"] = Sources.CustomOperations,
                ["Configured/ConfiguredUser.cs"] = Sources.CustomOperationUser("ConfiguredUser"),
                ["Configured/.editorconfig"] = "[*.cs]\noverlapped_analyzers.operation_pairs = MyCompany.Io.IoRequest.Begin:End, RingSlot.Submit:Retire\n",
                ["Unconfigured/UnconfiguredUser.cs"] = Sources.CustomOperationUser("UnconfiguredUser"),
            }));

            private readonly Lazy<CommandResult> _build;

            public PairsProject()
            {
                _build = new Lazy<CommandResult>(() => Project.Build());
            }

            internal TempProject Project => _project.Value;

            internal CommandResult Build => _build.Value;

            public void Dispose()
            {
                if (_project.IsValueCreated)
                {
                    _project.Value.Delete();
                }
            }
        }
    }
}
