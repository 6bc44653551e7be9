namespace AzureWorkloadIdentity.Cli;

/// <summary>
/// A user mistake: the message is one line that names the flag (or file) and the fix. Printed as
/// <c>Error: message</c> without a stack trace.
/// </summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
