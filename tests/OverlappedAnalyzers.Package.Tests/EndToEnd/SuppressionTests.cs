using System;
using System.Collections.Generic;
using System.Linq;
using OverlappedAnalyzers.Package.Tests.Infrastructure;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.EndToEnd
{
    /// <summary>
    /// The three documented ways to silence OVL001, in one project built once. The same leak left alone in
    /// Control.cs proves the analyzer ran, so silence elsewhere means suppression, not absence.
    /// </summary>
    public sealed class SuppressionTests : IClassFixture<SuppressionTests.SuppressedProject>
    {
        private readonly SuppressedProject _scenario;

        public SuppressionTests(SuppressedProject scenario)
        {
            _scenario = scenario;
        }

        [RequiresFact("OVL001")]
        public void Unsuppressed_control_still_reports()
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Single(build.WithId("OVL001"), d => d.IsIn("Control.cs"));
        }

        [RequiresFact("OVL001")]
        public void Pragma_warning_disable_silences_it() => AssertSilent("Pragma.cs");

        [RequiresFact("OVL001")]
        public void SuppressMessage_attribute_silences_it() => AssertSilent("Attribute.cs");

        [RequiresFact("OVL001")]
        public void Editorconfig_severity_none_silences_it() => AssertSilent("SeverityNone.cs");

        private void AssertSilent(string fileName)
        {
            var build = _scenario.Build;
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.True(build.WithId("OVL001").Any(d => d.IsIn("Control.cs")), "The control did not report, so silence proves nothing." + Environment.NewLine + build);
            Assert.False(build.WithId("OVL001").Any(d => d.IsIn(fileName)), build.ToString());
        }

        public sealed class SuppressedProject
        {
            private readonly Lazy<CommandResult> _build = new Lazy<CommandResult>(() => TempProject.Create("Suppressed", new Dictionary<string, string>
            {
                ["SocketOverlapped.cs"] = Sources.SocketOverlapped,
                ["Control.cs"] = Sources.Receiver("ControlSocket"),
                ["Pragma.cs"] = Sources.Receiver(
                    "PragmaSocket",
                    beforeThrow: "#pragma warning disable OVL001 // Leaks on purpose: the suppression under test.",
                    afterThrow: "#pragma warning restore OVL001"),
                ["Attribute.cs"] = Sources.Receiver(
                    "AttributeSocket",
                    onMethod: "[SuppressMessage(\"Reliability\", \"OVL001\")]"),

                // A nested .editorconfig applies to its folder only; Control.cs stays at the default severity.
                ["Silenced/SeverityNone.cs"] = Sources.Receiver("SeverityNoneSocket"),
                ["Silenced/.editorconfig"] = "[*.cs]\ndotnet_diagnostic.OVL001.severity = none\n",
            }).Build());

            internal CommandResult Build => _build.Value;
        }
    }
}
