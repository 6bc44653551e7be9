namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>A process cannot start: every configuration problem found, one per line, each naming its setting.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : this("the process", [message])
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public StartupException(string program, IReadOnlyList<string> problems)
        : base($"the {program} cannot start:\n  - " + string.Join("\n  - ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
