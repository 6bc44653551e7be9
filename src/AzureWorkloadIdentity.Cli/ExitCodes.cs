namespace AzureWorkloadIdentity.Cli;

/// <summary>Process exit codes of azwi (the original exits 1 on every command error).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A user mistake (missing or invalid flag, unreadable file) or a failed service call.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage of a command that reports findings (<c>azwi doctor</c>): 1 there means "a check failed".</summary>
    public const int Usage = 2;
}
