using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static Option<bool> CreateDebug() => new("--debug")
    {
        Description = "Enable debug logging",
        Recursive = true,
    };
}
