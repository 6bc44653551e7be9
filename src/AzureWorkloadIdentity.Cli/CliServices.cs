using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli;

/// <summary>What commands depend on; tests pass captured writers and a fake clock.</summary>
public sealed record CliServices(CliConsole Console, TimeProvider TimeProvider)
{
    public static CliServices System { get; } = new(CliConsole.System, TimeProvider.System);
}
