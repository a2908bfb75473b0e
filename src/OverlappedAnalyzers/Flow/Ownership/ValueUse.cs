namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>Where a handle or pointer value goes, as <see cref="ValueUseClassifier"/> sees it.</summary>
    internal enum ValueUse
    {
        /// <summary>Read, compared, dereferenced or lent: ownership stays where it was.</summary>
        None,

        /// <summary>Freed (<c>h.Free()</c>, <c>Marshal.FreeHGlobal(p)</c>, ...).</summary>
        Free,

        /// <summary>
        /// Passed by value to a P/Invoke, a delegate or a function pointer that is not named as a release: the callee
        /// reads or writes through it for the call. Whether the caller still owns it is decided with the graph's frees.
        /// </summary>
        Lend,

        /// <summary>Handed on: returned, passed by ref/out or to a callee that may keep it, stored somewhere untracked.</summary>
        Escape,

        /// <summary>Stored into a local (<c>q = p</c>).</summary>
        StoreLocal,

        /// <summary>Stored into a field or property (<c>m_block = p</c>).</summary>
        StoreMember,

        /// <summary>The value is the target of an assignment (it is overwritten).</summary>
        AssignTarget,

        /// <summary>Captured by the flow graph for a later use: that use is classified where it happens.</summary>
        Ignore,
    }
}
