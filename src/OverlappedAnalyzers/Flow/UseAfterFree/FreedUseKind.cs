namespace OverlappedAnalyzers.Flow.UseAfterFree
{
    /// <summary>How freed memory or a freed handle is touched again (the message says which).</summary>
    internal enum FreedUseKind
    {
        /// <summary><c>p-&gt;X</c>, <c>*p</c>, <c>p[i]</c>.</summary>
        Dereference,

        /// <summary>A framework call that reads through it: <c>Overlapped.Unpack(p)</c>, <c>Marshal.ReadInt32(p)</c>, <c>h.Target</c>.</summary>
        Read,

        /// <summary>Passed by value to a P/Invoke, a delegate (a completion callback) or a function pointer.</summary>
        LentToNative,

        /// <summary>Freed a second time.</summary>
        SecondFree,
    }
}
