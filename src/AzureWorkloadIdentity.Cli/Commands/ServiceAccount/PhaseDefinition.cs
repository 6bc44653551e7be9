using System.CommandLine;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// A phase of <c>serviceaccount create</c> or <c>delete</c> as the phase class declares it: what it is called, the
/// flags it reads (its <c>phase</c> subcommand offers exactly those), and how it is made for one run.
/// </summary>
internal sealed record PhaseDefinition(PhaseInfo Info, Func<ServiceAccountFlags, IEnumerable<Option>> Flags, Func<ServiceAccountRun, IPhase> Create);
