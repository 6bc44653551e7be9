using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary><c>azwi serviceaccount</c> (alias <c>sa</c>): create and delete, with the persistent authentication flags.</summary>
internal static class ServiceAccountCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        var command = new Command("serviceaccount", "Manage the workload identity");
        command.Aliases.Add("sa");
        var authentication = new AuthenticationFlags();
        authentication.AddTo(command);
        command.Subcommands.Add(CreateCommand.Create(services, debug, authentication));
        command.Subcommands.Add(DeleteCommand.Create(services, debug, authentication));
        CommandActions.ShowHelp(command);
        return command;
    }
}
