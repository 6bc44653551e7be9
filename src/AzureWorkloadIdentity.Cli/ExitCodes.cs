namespace AzureWorkloadIdentity.Cli;

/// <summary>Process exit codes of azwi (the original exits 1 on every command error).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A user mistake (missing or invalid flag, unreadable file) or a failed service call.</summary>
    public const int Failure = 1;
}
