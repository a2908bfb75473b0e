using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OverlappedAnalyzers.Model;
using Xunit;

namespace OverlappedAnalyzers.Tests.OVL004
{
    /// <summary>The compilation-wide gate: without anything named like an overlapped, the analyzer registers nothing per type.</summary>
    public class Ovl004FastPathTests
    {
        [Fact]
        public void CompilationWithoutOverlappedNames_IsSkipped() =>
            Assert.False(DisposeShapes.MayContainOverlapped(Compile("class Socket : System.IDisposable { public void Dispose() { } }")));

        [Theory]
        [InlineData("class MyOverlapped { }")]
        [InlineData("class Socket { object m_inOverlapped; }")]
        [InlineData("class Request { public void Complete() { } }")]
        public void CompilationWithOverlappedNames_IsAnalysed(string source) =>
            Assert.True(DisposeShapes.MayContainOverlapped(Compile(source)));

        private static Compilation Compile(string source) =>
            CSharpCompilation.Create("FastPath", new[] { CSharpSyntaxTree.ParseText(source) });
    }
}
