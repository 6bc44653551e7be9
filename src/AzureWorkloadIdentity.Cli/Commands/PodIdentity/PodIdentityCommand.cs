using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary><c>azwi podidentity</c> (alias <c>pi</c>): helpers for migrating from aad-pod-identity.</summary>
internal static class PodIdentityCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        var command = new Command("podidentity", "Commands that help migrate from aad-pod-identity to workload identity");
        command.Aliases.Add("pi");
        command.Subcommands.Add(DetectCommand.Create(services, debug));
        CommandActions.ShowHelp(command);
        return command;
    }
}
