using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Phases;

/// <summary>
/// Runs phases in order: skipped phases are logged (<c>skipping phase phase=…</c>) and do nothing; then every
/// pre-run, then every run. The first failure stops the command with
/// <c>failed to run pre-run for phase X: …</c> or <c>failed to run phase X: …</c>.
/// </summary>
internal static class PhaseRunner
{
    public static async Task RunAsync(
        IReadOnlyList<IPhase> phases, IReadOnlySet<string> skip, CliLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phases);
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentNullException.ThrowIfNull(log);
        var active = new List<IPhase>();
        foreach (var phase in phases)
        {
            if (skip.Contains(phase.Info.Name))
            {
                log.Info("skipping phase", ("phase", phase.Info.Name));
            }
            else
            {
                active.Add(phase);
            }
        }

        foreach (var phase in active)
        {
            try
            {
                await phase.PreRunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new PhaseException($"failed to run pre-run for phase {phase.Info.Name}: {exception.Message}", exception);
            }
        }

        foreach (var phase in active)
        {
            try
            {
                await phase.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new PhaseException($"failed to run phase {phase.Info.Name}: {exception.Message}", exception);
            }
        }
    }

    /// <summary>
    /// Parses <c>--skip-phases</c> values (repeatable, comma-separated). Only phase names are accepted, not
    /// aliases, as in the original.
    /// </summary>
    public static IReadOnlySet<string> ParseSkipPhases(IReadOnlyList<PhaseInfo> phases, IEnumerable<string>? values)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var names = phases.Select(p => p.Name).ToList();
        var skip = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!names.Contains(value, StringComparer.Ordinal))
            {
                throw new CliUsageException(
                    $"failed to compute skip phases: phase '{value}' not found. Valid phases are: [{string.Join(' ', names)}] (--skip-phases takes phase names, not aliases)");
            }

            skip.Add(value);
        }

        return skip;
    }

    /// <summary>The generated long help, as documented: one line per phase, names left-aligned in a column as wide as the longest.</summary>
    public static string Describe(string commandName, IReadOnlyList<PhaseInfo> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var width = phases.Max(p => p.Name.Length);
        return $"The \"{commandName}\" command executes the following phases in order:\n"
            + string.Join('\n', phases.Select(p => p.Name.PadRight(width) + "  " + p.Description));
    }
}
