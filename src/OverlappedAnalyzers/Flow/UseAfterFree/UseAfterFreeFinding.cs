using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.UseAfterFree
{
    /// <summary>A use of <see cref="Key"/> on a path where every way to it went through <see cref="Free"/> first.</summary>
    internal sealed class UseAfterFreeFinding
    {
        public UseAfterFreeFinding(FreedUse use, IOperation free)
        {
            Use = use;
            Free = free;
        }

        public FreedUse Use { get; }

        /// <summary>The release call that freed it (the code fix moves that one).</summary>
        public IOperation Free { get; }

        public ReceiverKey Key => Use.Key;
    }
}
