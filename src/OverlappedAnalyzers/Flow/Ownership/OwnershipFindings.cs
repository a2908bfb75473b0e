using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Model;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>Why an allocation leaks (the reason phrase of OVL003/OVL005).</summary>
    internal enum LeakReason
    {
        Discarded,
        Overwritten,
        Throw,
        Return,
        EndOfMethod,
        DoesNotReturn,
        NeverFreedInType,
        OverwrittenInMethod,
    }

    /// <summary>One allocation call of a graph and where its result goes.</summary>
    internal sealed class AllocationSite
    {
        public AllocationSite(int index, IOperation operation, AllocationFamily family, ISymbol? holder, ITypeSymbol? holderType)
        {
            Index = index;
            Operation = operation;
            Family = family;
            Holder = holder;
            HolderType = holderType;
        }

        public int Index { get; }

        public IOperation Operation { get; }

        public AllocationFamily Family { get; }

        /// <summary>The local, field or property the result is stored in; null when discarded.</summary>
        public ISymbol? Holder { get; }

        public ITypeSymbol? HolderType { get; }
    }

    /// <summary>A leak of a local (or a discarded result), found on the graph alone.</summary>
    internal sealed class LocalLeak
    {
        public LocalLeak(AllocationSite site, LeakReason reason, SyntaxNode? exit, bool definite)
        {
            Site = site;
            Reason = reason;
            Exit = exit;
            Definite = definite;
        }

        public AllocationSite Site { get; }

        public LeakReason Reason { get; }

        /// <summary>The throw/return statement or [DoesNotReturn] call the leaking path leaves through, if any.</summary>
        public SyntaxNode? Exit { get; }

        /// <summary>True when every path reaching the exit holds this allocation (freeing there is always right).</summary>
        public bool Definite { get; }
    }

    /// <summary>What a field holds where an allocation is stored into it: feeds the per-type decision at symbol end.</summary>
    internal sealed class FieldStore
    {
        public FieldStore(AllocationSite site, IMethodSymbol? method, bool inConstructor, bool mayHoldFromEntry, bool mayHoldFromThisMethod)
        {
            Site = site;
            Method = method;
            InConstructor = inConstructor;
            MayHoldFromEntry = mayHoldFromEntry;
            MayHoldFromThisMethod = mayHoldFromThisMethod;
        }

        public AllocationSite Site { get; }

        public IMethodSymbol? Method { get; }

        public bool InConstructor { get; }

        /// <summary>The field may still hold what it held when the method was entered (nothing freed or tested it first).</summary>
        public bool MayHoldFromEntry { get; }

        /// <summary>The field may hold an allocation made earlier in this same method.</summary>
        public bool MayHoldFromThisMethod { get; }
    }

    /// <summary>A call to a method of the same type, with which fields may still hold an allocation at that point.</summary>
    internal sealed class HelperCall
    {
        public HelperCall(IMethodSymbol caller, bool callerIsConstructor, IMethodSymbol callee, ImmutableHashSet<ISymbol> clearFields, ImmutableHashSet<ISymbol> trackedFields)
        {
            Caller = caller;
            CallerIsConstructor = callerIsConstructor;
            Callee = callee;
            ClearFields = clearFields;
            TrackedFields = trackedFields;
        }

        public IMethodSymbol Caller { get; }

        public bool CallerIsConstructor { get; }

        public IMethodSymbol Callee { get; }

        /// <summary>Fields known to hold nothing at the call (freed, or tested empty, on every path).</summary>
        public ImmutableHashSet<ISymbol> ClearFields { get; }

        public ImmutableHashSet<ISymbol> TrackedFields { get; }

        /// <summary>Whether <paramref name="field"/> may hold an allocation when the callee runs.</summary>
        public bool MayHold(ISymbol field) => TrackedFields.Contains(field) ? !ClearFields.Contains(field) : !CallerIsConstructor;
    }

    /// <summary>Everything one graph tells: local leaks now, field facts for the type's symbol end.</summary>
    internal sealed class OwnershipResult
    {
        public List<LocalLeak> LocalLeaks { get; } = new List<LocalLeak>();

        public List<FieldStore> FieldStores { get; } = new List<FieldStore>();

        public List<HelperCall> HelperCalls { get; } = new List<HelperCall>();

        /// <summary>Members freed or handed on somewhere in the graph (any instance): the type takes care of them.</summary>
        public HashSet<ISymbol> ReleasedMembers { get; } = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        /// <summary>Families freed here through a value the analysis cannot name (a completion-side <c>FromIntPtr(...).Free()</c>).</summary>
        public HashSet<AllocationFamily> UntargetedFrees { get; } = new HashSet<AllocationFamily>();

        /// <summary>Local sites the try/finally fix can handle: one allocation, never handed on, frees only as plain statements.</summary>
        public HashSet<AllocationSite> WrappableSites { get; } = new HashSet<AllocationSite>();
    }
}
