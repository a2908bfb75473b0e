using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace OverlappedAnalyzers.Flow.Pending
{
    /// <summary>
    /// What is known about one started receiver at a program point: its possible states and, for reporting,
    /// the starts, failure branches and wrong finishes that reach this point. Immutable; joined by union.
    /// </summary>
    internal sealed class ReceiverFact : IEquatable<ReceiverFact>
    {
        public static readonly ReceiverFact NotStarted = new ReceiverFact(
            PendingState.NotStarted, ImmutableHashSet<IOperation>.Empty, ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty);

        private ReceiverFact(PendingState state, ImmutableHashSet<IOperation> starts, ImmutableHashSet<ControlFlowBranch> failures, ImmutableHashSet<IOperation> wrongFinishes)
            : this(state, starts, failures, wrongFinishes, ImmutableHashSet<IOperation>.Empty)
        {
        }

        private ReceiverFact(PendingState state, ImmutableHashSet<IOperation> starts, ImmutableHashSet<ControlFlowBranch> failures, ImmutableHashSet<IOperation> wrongFinishes, ImmutableHashSet<IOperation> nativeCalls)
        {
            State = state;
            Starts = starts;
            Failures = failures;
            WrongFinishes = wrongFinishes;
            NativeCalls = nativeCalls;
        }

        public PendingState State { get; }

        /// <summary>Start calls that may have started the receiver on a path reaching here.</summary>
        public ImmutableHashSet<IOperation> Starts { get; }

        /// <summary>The branches that established the synchronous failure on a path reaching here.</summary>
        public ImmutableHashSet<ControlFlowBranch> Failures { get; }

        /// <summary>Finish calls on another overlapped that a failure path made instead of finishing this one.</summary>
        public ImmutableHashSet<IOperation> WrongFinishes { get; }

        /// <summary>Native calls that received the OVERLAPPED before any start on a path reaching here.</summary>
        public ImmutableHashSet<IOperation> NativeCalls { get; }

        public bool Has(PendingState state) => (State & state) != 0;

        /// <summary>The OVERLAPPED goes to a native call; only a path on which it is not started makes a later start late.</summary>
        public ReceiverFact HandToNative(IOperation call) =>
            !Has(PendingState.NotStarted | PendingState.Finished)
                ? this
                : new ReceiverFact(State | PendingState.HandedToNative, Starts, Failures, WrongFinishes, NativeCalls.Add(call));

        public ReceiverFact Start(IOperation call) =>
            new ReceiverFact(PendingState.Pending, ImmutableHashSet.Create(call), ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty);

        /// <summary>Every started path is finished (or handed on); paths on which it never started stay so.</summary>
        public ReceiverFact Finish() =>
            !Has(PendingState.Started) ? this : new ReceiverFact((State & PendingState.NotStarted) | PendingState.Finished, ImmutableHashSet<IOperation>.Empty, ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty);

        /// <summary>Only the failed paths end here: hand-offs after a failure (posting to the port, storing it).</summary>
        public ReceiverFact FinishFailed()
        {
            if (!Has(PendingState.Failed | PendingState.WrongFinished))
            {
                return this;
            }

            var state = (State & ~(PendingState.Failed | PendingState.WrongFinished)) | PendingState.Finished;
            return new ReceiverFact(state, Starts, ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty);
        }

        public ReceiverFact EstablishFailure(ControlFlowBranch origin) =>
            !Has(PendingState.Pending) ? this : new ReceiverFact((State & ~PendingState.Pending) | PendingState.Failed, Starts, Failures.Add(origin), WrongFinishes);

        public ReceiverFact FinishWrongOverlapped(IOperation wrongFinish) =>
            !Has(PendingState.Failed) ? this : new ReceiverFact((State & ~PendingState.Failed) | PendingState.WrongFinished, Starts, Failures, WrongFinishes.Add(wrongFinish));

        /// <summary>
        /// A check showed an I/O call pending or succeeded. An operation not yet checked is in flight now: its completion
        /// arrives through the port, and a later failure check is about another call. A failure established earlier
        /// ("error != 997" then "error == 0") is forgotten as before, though it may be re-established by a later check,
        /// since a success seen here may belong to another receiver's call.
        /// </summary>
        public ReceiverFact ConfirmInFlight()
        {
            if (!Has(PendingState.Pending | PendingState.Failed | PendingState.WrongFinished))
            {
                return this;
            }

            var state = State;
            if (Has(PendingState.Pending))
            {
                state = (state & ~PendingState.Pending) | PendingState.InFlight;
            }

            if (Has(PendingState.Failed | PendingState.WrongFinished))
            {
                state = (state & ~(PendingState.Failed | PendingState.WrongFinished)) | PendingState.Pending;
            }

            return new ReceiverFact(state, Starts, ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty, NativeCalls);
        }

        /// <summary>On paths that entered a handler through an implicit exception nothing is known to have failed.</summary>
        public ReceiverFact ForgetFailure()
        {
            if (!Has(PendingState.Failed | PendingState.WrongFinished))
            {
                return this;
            }

            var state = (State & ~(PendingState.Failed | PendingState.WrongFinished)) | PendingState.Pending;
            return new ReceiverFact(state, Starts, ImmutableHashSet<ControlFlowBranch>.Empty, ImmutableHashSet<IOperation>.Empty);
        }

        public ReceiverFact Join(ReceiverFact other)
        {
            if (ReferenceEquals(this, other))
            {
                return this;
            }

            var joined = new ReceiverFact(State | other.State, Starts.Union(other.Starts), Failures.Union(other.Failures), WrongFinishes.Union(other.WrongFinishes), NativeCalls.Union(other.NativeCalls));
            return joined.Equals(this) ? this : joined;
        }

        public bool Equals(ReceiverFact? other) =>
            other != null
            && other.State == State
            && other.Starts.Count == Starts.Count
            && other.Failures.Count == Failures.Count
            && other.WrongFinishes.Count == WrongFinishes.Count
            && other.NativeCalls.Count == NativeCalls.Count
            && other.NativeCalls.SetEquals(NativeCalls)
            && other.Starts.SetEquals(Starts)
            && other.Failures.SetEquals(Failures)
            && other.WrongFinishes.SetEquals(WrongFinishes);

        public override bool Equals(object? obj) => Equals(obj as ReceiverFact);

        public override int GetHashCode() => ((int)State * 397) ^ Starts.Count ^ (Failures.Count << 8) ^ (WrongFinishes.Count << 16);
    }
}
