using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static Option<bool> CreateDebug() => new("--debug")
    {
        Description = "Enable debug logging",
        Recursive = true,
    };
}
