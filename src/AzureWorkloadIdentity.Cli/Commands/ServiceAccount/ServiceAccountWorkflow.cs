using System.CommandLine;
using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>Builds a phased command (create or delete) with <c>--skip-phases</c> and its <c>phase &lt;name&gt;</c> subcommands.</summary>
public static class ServiceAccountWorkflow
{
    public static Command Build(
        string name, string summary, CliServices services, Option<bool> debug, AuthenticationFlags authentication,
        Func<ServiceAccountContext, IReadOnlyList<IPhase>> phases,
        Func<ServiceAccountFlags, IEnumerable<Option>> options,
        IReadOnlyDictionary<string, string[]> phaseFlags,
        Func<ISet<string>, ISet<string>>? autoSkip)
    {
        var template = phases(new ServiceAccountContext(services, new CliLog(TextWriter.Null, false, services.TimeProvider), _ => throw new InvalidOperationException()));
        var flags = new ServiceAccountFlags();
        var command = new Command(name, summary + "\n\n" + PhaseRunner.Describe(name, template));
        foreach (var option in options(flags))
        {
            command.Options.Add(option);
        }

        command.Options.Add(flags.SkipPhases);
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            using var context = Prepare(parseResult, services, log, authentication, flags);
            var list = phases(context);
            var skip = new HashSet<string>(PhaseRunner.ParseSkipPhases(list, parseResult.GetValue(flags.SkipPhases)), StringComparer.Ordinal);
            autoSkip?.Invoke(skip);
            await PhaseRunner.RunAsync(list, skip, log, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var phaseCommand = new Command("phase", $"Invoke a single phase of the {name} workflow");
        foreach (var phase in template)
        {
            var phaseOptions = new ServiceAccountFlags();
            var single = new Command(phase.Name, phase.Description);
            single.Aliases.Add(phase.Alias);
            foreach (var option in options(phaseOptions).Where(o => phaseFlags[phase.Name].Contains(o.Name)))
            {
                single.Options.Add(option);
            }

            var phaseName = phase.Name;
            CommandActions.Set(single, services, debug, async (parseResult, log, cancellationToken) =>
            {
                using var context = Prepare(parseResult, services, log, authentication, phaseOptions);
                var selected = phases(context).Where(p => p.Name == phaseName).ToList();
                await PhaseRunner.RunAsync(selected, new HashSet<string>(), log, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            });
            phaseCommand.Subcommands.Add(single);
        }

        CommandActions.ShowHelp(phaseCommand);
        command.Subcommands.Add(phaseCommand);
        return command;
    }

    /// <summary>Validates authentication, cloud and subscription (in the original's order) before any phase.</summary>
    private static ServiceAccountContext Prepare(
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

        return flags.CreateContext(parseResult, services, log, cancellationToken =>
            AzureConnection.ConnectAsync(cloud, authentication, method, subscriptionId, createHandler, cancellationToken));
    }
}
