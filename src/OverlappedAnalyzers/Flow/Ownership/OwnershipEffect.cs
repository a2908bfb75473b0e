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
        public OwnershipEffect(OwnershipEffectKind kind, int key, IOperation operation, int site, IMethodSymbol? callee)
        {
            Kind = kind;
            Key = key;
            Operation = operation;
            Site = site;
            Callee = callee;
        }

        public OwnershipEffectKind Kind { get; }

        /// <summary>Index of the holder in <see cref="OwnershipEffects.Keys"/>; -1 for calls.</summary>
        public int Key { get; }

        public IOperation Operation { get; }

        /// <summary>The allocation site stored (<see cref="OwnershipEffectKind.Alloc"/>); -1 otherwise.</summary>
        public int Site { get; }

        /// <summary>The helper called (<see cref="OwnershipEffectKind.Call"/>).</summary>
        public IMethodSymbol? Callee { get; }
    }
}
