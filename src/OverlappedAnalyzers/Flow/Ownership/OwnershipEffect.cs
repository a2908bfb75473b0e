using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow.Ownership
{
    /// <summary>What one operation of a block does to the tracked holders (locals and own members).</summary>
    internal enum OwnershipEffectKind
    {
        /// <summary>An allocation is stored into the holder.</summary>
        Alloc,

        /// <summary>The holder's allocation is freed.</summary>
        Free,

        /// <summary>The holder's allocation is handed on (returned, stored elsewhere, passed to a callee that may keep it).</summary>
        Escape,

        /// <summary>
        /// The holder's value is lent to native code for a call and the caller frees it afterwards: ownership stays
        /// (<see cref="OwnershipEffects"/> turns a lend that no free follows into an <see cref="Escape"/>).
        /// </summary>
        Lend,

        /// <summary>A local's allocation is stored into a member of the type (<c>m_block = p;</c>): the member owns it now.</summary>
        Transfer,

        /// <summary>The holder is assigned something that is not an allocation.</summary>
        Overwrite,

        /// <summary>A helper of the containing type is called (it may free members; the type decides at symbol end).</summary>
        Call,

        /// <summary>A <c>[DoesNotReturn]</c> method is called: the path leaves by exception.</summary>
        DoesNotReturn,
    }

    /// <summary>One effect of a block, in evaluation order.</summary>
    internal readonly struct OwnershipEffect
    {
        public OwnershipEffect(OwnershipEffectKind kind, int key, IOperation operation, int site, IMethodSymbol? callee, int targetKey = -1)
        {
            Kind = kind;
            Key = key;
            Operation = operation;
            Site = site;
            Callee = callee;
            TargetKey = targetKey;
        }

        public OwnershipEffectKind Kind { get; }

        /// <summary>Index of the holder in <see cref="OwnershipEffects.Keys"/>; -1 for calls.</summary>
        public int Key { get; }

        public IOperation Operation { get; }

        /// <summary>The allocation site stored (<see cref="OwnershipEffectKind.Alloc"/>); -1 otherwise.</summary>
        public int Site { get; }

        /// <summary>The helper called (<see cref="OwnershipEffectKind.Call"/>).</summary>
        public IMethodSymbol? Callee { get; }

        /// <summary>The member that takes the local's allocation over (<see cref="OwnershipEffectKind.Transfer"/>); -1 otherwise.</summary>
        public int TargetKey { get; }

        public OwnershipEffect WithKind(OwnershipEffectKind kind) => new OwnershipEffect(kind, Key, Operation, Site, Callee, TargetKey);
    }
}
