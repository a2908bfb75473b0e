namespace OverlappedAnalyzers.Model
{
    /// <summary>The families of start/finish pairs; each finishes its receiver differently.</summary>
    internal enum PairKind
    {
        /// <summary><c>x.StartOperation(...)</c> finished by <c>x.Complete()</c> on the same object.</summary>
        StartOperationConvention,

        /// <summary><c>p = handle.AllocateNativeOverlapped(...)</c> finished by <c>handle.FreeNativeOverlapped(p)</c>.</summary>
        ThreadPoolBoundHandle,

        /// <summary><c>p = overlapped.Pack(...)</c> finished by <c>Overlapped.Free(p)</c>.</summary>
        OverlappedPack,

        /// <summary>A pair configured in .editorconfig: <c>x.Start(...)</c> finished by <c>x.Finish()</c>.</summary>
        Configured,
    }
}
