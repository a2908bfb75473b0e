namespace OverlappedAnalyzers
{
    /// <summary>
    /// The rule catalogue: every diagnostic ID the package reports, and where its help page lives.
    /// IDs and meanings are fixed by RULES.md; tests assert that every descriptor links here.
    /// </summary>
    public static class RuleIdentifiers
    {
        public const string OperationNotCompletedOnSyncFailure = "OVL001";
        public const string WrongOverlappedCompleted = "OVL002";
        public const string GCHandleNotFreed = "OVL003";
        public const string DisposeSkipsPendingCleanup = "OVL004";
        public const string NativeMemoryNotFreed = "OVL005";
        public const string OperationStartedAfterIoCall = "OVL006";
        public const string ReleasedWhileIoPending = "OVL007";
        public const string UsedAfterFree = "OVL008";

        /// <summary>Where the rule pages are published; the package's project URL points at the same repository.</summary>
        public const string RepositoryUrl = "https://github.com/overlapped-analyzers/OverlappedAnalyzers";

        public static string GetHelpUri(string ruleId) => RepositoryUrl + "/blob/main/docs/rules/" + ruleId + ".md";
    }
}
