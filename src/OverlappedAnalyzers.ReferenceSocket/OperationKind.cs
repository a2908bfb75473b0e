namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>What an overlapped operation is doing; reported back with its completion.</summary>
    public enum OperationKind
    {
        None = 0,
        Accept = 1,
        Connect = 2,
        Send = 3,
        Receive = 4,
    }
}
