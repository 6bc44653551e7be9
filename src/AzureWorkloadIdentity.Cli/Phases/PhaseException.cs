namespace AzureWorkloadIdentity.Cli.Phases;

/// <summary>A phase's pre-run or run failed; the message names the phase and carries the cause.</summary>
internal sealed class PhaseException : Exception
{
    public PhaseException()
    {
    }

    public PhaseException(string message)
        : base(message)
    {
    }

    public PhaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
