using System.CommandLine;
using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// Builds a phased command (create or delete) from its phases' own definitions: the command offers every flag a phase
/// reads plus <c>--skip-phases</c>, and one <c>phase &lt;name&gt;</c> subcommand per phase offers that phase's flags.
/// </summary>
internal static class ServiceAccountWorkflow
{
    /// <param name="helpOrder">The order <c>--help</c> lists the flags in; which flags are offered comes from the phases.</param>
    public static Command Build(
        string name, string summary, CliServices services, Option<bool> debug, AuthenticationFlags authentication,
        IReadOnlyList<PhaseDefinition> phases,
        Func<ServiceAccountFlags, IReadOnlyList<Option>> helpOrder,
        Action<ISet<string>>? autoSkip)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var infos = phases.Select(p => p.Info).ToList();
        var flags = new ServiceAccountFlags();
        var command = new Command(name, summary + "\n\n" + PhaseRunner.Describe(name, infos));
        foreach (var option in Offered(flags, phases, helpOrder))
        {
            command.Options.Add(option);
        }

        command.Options.Add(flags.SkipPhases);
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            using var run = Prepare(parseResult, services, log, authentication, flags);
            var skip = new HashSet<string>(PhaseRunner.ParseSkipPhases(infos, parseResult.GetValue(flags.SkipPhases)), StringComparer.Ordinal);
            autoSkip?.Invoke(skip);
            await PhaseRunner.RunAsync([.. phases.Select(p => p.Create(run))], skip, log, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var phaseCommand = new Command("phase", $"Invoke a single phase of the {name} workflow");
        foreach (var phase in phases)
        {
            phaseCommand.Subcommands.Add(BuildSingle(phase, services, debug, authentication, helpOrder));
        }

        CommandActions.ShowHelp(phaseCommand);
        command.Subcommands.Add(phaseCommand);
        return command;
    }

    private static Command BuildSingle(
        PhaseDefinition phase, CliServices services, Option<bool> debug, AuthenticationFlags authentication,
        Func<ServiceAccountFlags, IReadOnlyList<Option>> helpOrder)
    {
        var flags = new ServiceAccountFlags();
        var command = new Command(phase.Info.Name, phase.Info.Description);
        foreach (var alias in phase.Info.Aliases)
        {
            command.Aliases.Add(alias);
        }

        foreach (var option in Offered(flags, [phase], helpOrder))
        {
            command.Options.Add(option);
        }

        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            using var run = Prepare(parseResult, services, log, authentication, flags);
            await PhaseRunner.RunAsync([phase.Create(run)], new HashSet<string>(), log, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The flags the phases read, in help order; a phase flag missing from the help order is a programming error.</summary>
    private static IEnumerable<Option> Offered(
        ServiceAccountFlags flags, IEnumerable<PhaseDefinition> phases, Func<ServiceAccountFlags, IReadOnlyList<Option>> helpOrder)
    {
        var read = phases.SelectMany(p => p.Flags(flags)).ToHashSet();
        var ordered = helpOrder(flags);
        var unordered = read.Except(ordered).Select(o => o.Name).ToList();
        if (unordered.Count > 0)
        {
            throw new InvalidOperationException($"phase flags missing from the help order: {string.Join(", ", unordered)}");
        }

        return ordered.Where(read.Contains);
    }

    /// <summary>Validates authentication, cloud and subscription (in the original's order) before any phase.</summary>
    private static ServiceAccountRun Prepare(
        ParseResult parseResult, CliServices services, CliLog log, AuthenticationFlags authenticationFlags, ServiceAccountFlags flags)
    {
        var authentication = authenticationFlags.Read(parseResult);
        var method = authentication.Validate();
        var (subscriptionId, fromCli) = SubscriptionResolver.Resolve(parseResult.GetValue(authenticationFlags.SubscriptionId), services.GetEnvironmentVariable);
        if (fromCli)
        {
            log.Info($"No subscription provided, using selected subscription from Azure CLI: {subscriptionId}");
        }

        var cloud = CloudSettings.Resolve(parseResult.GetValue(authenticationFlags.AzureEnv), services.GetEnvironmentVariable);
        var createHandler = services.CreateHttpHandler;
        if (log.IsDebugEnabled)
        {
            var inner = createHandler ?? (() => new HttpClientHandler());
            createHandler = () => new HttpTraceHandler(log, inner());
        }

        return new ServiceAccountRun(services, log, flags.ReadInputs(parseResult), cancellationToken =>
            AzureConnection.ConnectAsync(cloud, authentication, method, subscriptionId, createHandler, cancellationToken));
    }
}
