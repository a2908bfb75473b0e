using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Flow.Pending
{
    internal enum EffectKind
    {
        /// <summary>The receiver is started (again): the state resets to pending.</summary>
        Start,

        /// <summary>The receiver is finished, directly or by a helper that finishes it.</summary>
        Finish,

        /// <summary>The receiver is handed on (posted to the port, stored, passed out): ours only until a failure.</summary>
        HandOff,

        /// <summary>The variable or field holding the receiver is overwritten: we no longer know which object it is.</summary>
        Forget,

        /// <summary>Another overlapped of the receiver's type, never started here, is finished (the seed's typo).</summary>
        WrongFinish,

        /// <summary>The receiver's OVERLAPPED (a pointer derived from it) is handed to a native call.</summary>
        HandToNative,

        /// <summary>A call to a [DoesNotReturn] method: the path exits here.</summary>
        DoesNotReturn,
    }

    /// <summary>One thing an operation does to a tracked receiver, in evaluation order within a block.</summary>
    internal readonly struct Effect
    {
        public Effect(EffectKind kind, int receiver, IOperation operation)
        {
            Kind = kind;
            Receiver = receiver;
            Operation = operation;
        }

        public EffectKind Kind { get; }

        /// <summary>The tracked receiver's index, or -1 for effects on the path (DoesNotReturn).</summary>
        public int Receiver { get; }

        public IOperation Operation { get; }
    }
}
