using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary><c>azwi oidc</c>: the issuer kit for self-managed clusters (discovery document, verification, key rotation plan).</summary>
internal static class OidcCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        var command = new Command("oidc", "Create and check the OpenID Connect issuer of a self-managed cluster");
        command.Subcommands.Add(DiscoveryCommand.Create(services, debug));
        command.Subcommands.Add(VerifyCommand.Create(services, debug));
        command.Subcommands.Add(RotatePlanCommand.Create(services, debug));
        CommandActions.ShowHelp(command);
        return command;
    }
}
