using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers
{
    /// <summary>Every diagnostic descriptor, in one place, in catalogue order.</summary>
    public static class Descriptors
    {
        private const string Reliability = "Reliability";

        public static readonly DiagnosticDescriptor OVL001 = Create(
            RuleIdentifiers.OperationNotCompletedOnSyncFailure,
            "Overlapped operation not completed when it fails synchronously",
            "'{0}' is started but this {1} leaves after a synchronous failure without {2}: no completion will arrive, so it stays in progress and leaks",
            "When a Win32 overlapped call fails with an error other than ERROR_IO_PENDING (997), the request never reached the driver and no completion packet will ever be queued. The operation must be finished on that path, otherwise the overlapped block, its GCHandle and everything it roots stay alive forever.");

        public static readonly DiagnosticDescriptor OVL002 = Create(
            RuleIdentifiers.WrongOverlappedCompleted,
            "A different overlapped is completed than the one started",
            "'{0}' is completed on this failure path but '{1}' was started: '{1}' stays in progress and leaks",
            "On a synchronous-failure path the code finishes an overlapped of the same type that this method never started, while the one it started stays in progress forever. This is the bug in the seed's own fix, which completed m_outOverlapped after starting m_inOverlapped.");

        public static readonly DiagnosticDescriptor OVL003 = Create(
            RuleIdentifiers.GCHandleNotFreed,
            "GCHandle allocated but not freed",
            "The GCHandle allocated here {0}: it roots its target for the life of the process",
            "A GCHandle keeps its target (and everything the target references) alive and, when pinned, fixed in memory until Free is called. A handle that is discarded, leaves the method on some path, or is overwritten while still allocated can never be freed.");

        public static readonly DiagnosticDescriptor OVL004 = Create(
            RuleIdentifiers.DisposeSkipsPendingCleanup,
            "Dispose skips cleanup of a pending overlapped",
            "'{0}' {1}",
            "Dispose must not free an overlapped the kernel may still write to, but deferring the free is only safe when the completion path frees a disposed instance, and an owner must dispose the overlapped blocks it owns.");

        public static readonly DiagnosticDescriptor OVL005 = Create(
            RuleIdentifiers.NativeMemoryNotFreed,
            "Native memory allocated but not freed",
            "The native memory allocated here by '{0}' {1}: it is never returned to the native heap",
            "Memory from Marshal.AllocHGlobal, Marshal.AllocCoTaskMem and NativeMemory is invisible to the garbage collector; a block that is discarded, leaves the method on some path, or is overwritten while still allocated leaks for the life of the process.");

        public static readonly DiagnosticDescriptor OVL006 = Create(
            RuleIdentifiers.OperationStartedAfterIoCall,
            "Operation started after the I/O call that may complete it",
            "'{0}.StartOperation' runs after '{1}' was handed its OVERLAPPED: a completion that arrives first is overwritten and '{0}' stays in progress forever",
            "Once a native call has the OVERLAPPED, a completion can be dequeued on a port thread at any moment. Marking the operation in progress afterwards can undo that completion, so the overlapped looks pending forever and Dispose never frees it.");

        public static readonly DiagnosticDescriptor OVL007 = Create(
            RuleIdentifiers.ReleasedWhileIoPending,
            "Overlapped released, or failure reported, while the I/O may be pending",
            "{0} while '{1}' may still be pending: the kernel will still write its completion into '{2}' and its data into the buffer it was lent",
            "For an asynchronous operation, FALSE or SOCKET_ERROR from the I/O call usually means ERROR_IO_PENDING: the operation runs on, and the kernel writes the OVERLAPPED and the buffer when it completes. Finishing or freeing either before the error was compared with 997 (or after it was found to be 997, before waiting), or throwing as if the call had failed, lets the kernel write into memory that already belongs to someone else.");

        public static readonly DiagnosticDescriptor OVL008 = Create(
            RuleIdentifiers.UsedAfterFree,
            "Overlapped, handle or native memory used after it was freed",
            "'{0}' was freed by '{1}' and is {2}: the memory may already belong to another allocation",
            "After Overlapped.Free, FreeNativeOverlapped, Marshal.FreeHGlobal/FreeCoTaskMem, NativeMemory.Free or GCHandle.Free, the block or handle may be reused at once. Reading it, lending it to native code or freeing it again corrupts another allocation, and the crash happens far from its cause.");

        private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description) =>
            new DiagnosticDescriptor(
                id,
                title,
                messageFormat,
                Reliability,
                DiagnosticSeverity.Warning,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: RuleIdentifiers.GetHelpUri(id));
    }
}
