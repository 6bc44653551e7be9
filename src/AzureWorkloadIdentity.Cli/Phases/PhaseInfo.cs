namespace AzureWorkloadIdentity.Cli.Phases;

/// <summary>
/// What a phase is called on the command line: its name (the only spelling <c>--skip-phases</c> accepts), the
/// aliases of its <c>phase</c> subcommand, and the line the long help shows for it.
/// </summary>
internal sealed record PhaseInfo(string Name, IReadOnlyList<string> Aliases, string Description);
