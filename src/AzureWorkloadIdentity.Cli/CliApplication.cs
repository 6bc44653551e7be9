using System.CommandLine;
using System.CommandLine.Parsing;
using AzureWorkloadIdentity.Cli.Commands;
using AzureWorkloadIdentity.Cli.Commands.Doctor;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.Cli.Commands.Oidc;
using AzureWorkloadIdentity.Cli.Commands.PodIdentity;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Cli.Commands.Version;

namespace AzureWorkloadIdentity.Cli;

/// <summary>Builds the command tree and runs it; tests call <see cref="InvokeAsync"/> in-process.</summary>
internal static class CliApplication
{
    public static RootCommand BuildRootCommand(CliServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var debug = GlobalOptions.CreateDebug();
        var root = new RootCommand(
            "azwi: a utility CLI that helps manage Azure AD Workload Identity and automate error-prone operations");
        root.Options.Add(debug);
        root.Subcommands.Add(VersionCommand.Create(services, debug));
        root.Subcommands.Add(JwksCommand.Create(services, debug));
        root.Subcommands.Add(OidcCommand.Create(services, debug));
        root.Subcommands.Add(ServiceAccountCommand.Create(services, debug));
        root.Subcommands.Add(PodIdentityCommand.Create(services, debug));
        root.Subcommands.Add(DoctorCommand.Create(services, debug));
        CommandActions.ShowHelp(root);
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CliServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var root = BuildRootCommand(services);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // One line naming the problem instead of the parser's error list followed by the whole help text.
            var names = new List<string>();
            for (SymbolResult? result = parseResult.CommandResult; result is not null; result = result.Parent)
            {
                if (result is CommandResult commandResult)
                {
                    names.Insert(0, commandResult.Command is RootCommand ? "azwi" : commandResult.Command.Name);
                }
            }

            var path = string.Join(' ', names);
            await services.Console.Error.WriteLineAsync(
                $"Error: {parseResult.Errors[0].Message} (run '{path} --help' for usage)").ConfigureAwait(false);
            // doctor's exit 1 means "a check failed", so its usage errors have their own code.
            return names.Contains("doctor") ? ExitCodes.Usage : ExitCodes.Failure;
        }

        var configuration = new InvocationConfiguration
        {
            Output = services.Console.Out,
            Error = services.Console.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
