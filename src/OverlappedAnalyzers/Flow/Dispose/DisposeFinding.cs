using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow.Dispose
{
    /// <summary>One OVL004 result: where to report, and the two message arguments.</summary>
    internal sealed class DisposeFinding
    {
        public DisposeFinding(Location location, string subject, string reason, IFieldSymbol? undisposedField)
        {
            Location = location;
            Subject = subject;
            Reason = reason;
            UndisposedField = undisposedField;
        }

        public Location Location { get; }

        /// <summary><c>Overlapped.Dispose</c>, or the type when it declares no Dispose.</summary>
        public string Subject { get; }

        public string Reason { get; }

        /// <summary>The owned overlapped field Dispose forgets (the owner case); null for a deferral without completion-side free.</summary>
        public IFieldSymbol? UndisposedField { get; }
    }
}
