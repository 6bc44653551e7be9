namespace AzureWorkloadIdentity.Cli.Phases;

/// <summary>
/// One named step of a multi-step command. <see cref="PreRunAsync"/> only checks inputs (it changes nothing);
/// the runner calls every pre-run before any <see cref="RunAsync"/>, so a mistake is reported before any change.
/// </summary>
internal interface IPhase
{
    PhaseInfo Info { get; }

    Task PreRunAsync(CancellationToken cancellationToken);

    Task RunAsync(CancellationToken cancellationToken);
}
