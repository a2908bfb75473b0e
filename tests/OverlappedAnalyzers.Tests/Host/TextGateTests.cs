using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;
using OverlappedAnalyzers.Flow.Engine;
using Xunit;

namespace OverlappedAnalyzers.Tests.Host
{
    /// <summary>The text gate decides whether any binding happens at all: it must never miss a whole identifier.</summary>
    public class TextGateTests
    {
        private static readonly ImmutableArray<string> StartNames = ImmutableArray.Create("StartOperation", "Pack");

        [Theory]
        [InlineData("m_in.StartOperation(OperationType.Receive);")]
        [InlineData("var p = overlapped.Pack(callback, null);")]
        [InlineData("StartOperation")]
        [InlineData("x.Pack")]
        public void FindsWholeIdentifiers(string code) =>
            Assert.True(TextGate.ContainsAnyIdentifier(SourceText.From(code), StartNames));

        [Theory]
        [InlineData("var package = new Package(); package.Packed = true;")]
        [InlineData("TryStartOperation(); StartOperations(); _StartOperation();")]
        [InlineData("")]
        public void IgnoresLongerIdentifiersThatContainTheName(string code) =>
            Assert.False(TextGate.ContainsAnyIdentifier(SourceText.From(code), StartNames));

        [Theory]
        [InlineData(16 * 1024 - 7)]
        [InlineData(16 * 1024 - 14)]
        [InlineData(16 * 1024)]
        [InlineData(3 * 16 * 1024 + 5)]
        public void FindsAnIdentifierThatStraddlesAChunkBoundary(int position)
        {
            var text = SourceText.From(new string(' ', position) + "StartOperation();" + new string(' ', 40_000));
            Assert.True(TextGate.ContainsAnyIdentifier(text, StartNames));
        }

        [Fact]
        public void ANameCutByAChunkBoundaryIsStillJudgedByItsRealNeighbours()
        {
            // The second chunk starts 13 characters before the first one ends, exactly at the 'S' of "xStartOperation":
            // the match sits at the start of its window, and the 'x' before it must be read from the text itself.
            var text = SourceText.From(new string(' ', 16 * 1024 - 14) + "xStartOperation();" + new string(' ', 100));
            Assert.False(TextGate.ContainsAnyIdentifier(text, StartNames));
        }

        [Fact]
        public void SearchesOnlyTheGivenSpan()
        {
            var text = SourceText.From("void A() { } void B() { m_in.StartOperation(); }");
            Assert.False(TextGate.ContainsAnyIdentifier(text, new TextSpan(0, 12), StartNames));
            Assert.True(TextGate.ContainsAnyIdentifier(text, TextSpan.FromBounds(13, text.Length), StartNames));
        }
    }
}
