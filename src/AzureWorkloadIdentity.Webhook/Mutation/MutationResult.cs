using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The outcome of mutating one pod: operations and warnings, or a denial.</summary>
internal sealed class MutationResult
{
    private MutationResult(MutationOutcome outcome, string reason, bool optedIn, IReadOnlyList<PatchOperation> operations, IReadOnlyList<string> warnings, Denial? denial)
    {
        Outcome = outcome;
        Reason = reason;
        OptedIn = optedIn;
        Operations = operations;
        Warnings = warnings;
        Denial = denial;
    }

    public MutationOutcome Outcome { get; }

    /// <summary>Short, bounded reason (a metric label value), e.g. <c>not-opted-in</c>, <c>invalid-token-expiration</c>.</summary>
    public string Reason { get; }

    /// <summary>True when the pod got past the opt-in decision (the latency histogram records these).</summary>
    public bool OptedIn { get; }

    /// <summary>RFC 6902 operations; empty unless <see cref="Outcome"/> is <see cref="MutationOutcome.Mutated"/>.</summary>
    public IReadOnlyList<PatchOperation> Operations { get; }

    /// <summary>Warnings for the user (also recorded as an audit annotation).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Why the pod is refused, when <see cref="Outcome"/> is <see cref="MutationOutcome.Denied"/>.</summary>
    public Denial? Denial { get; }

    /// <summary>The refusal's message, when denied.</summary>
    public string? DenialMessage => Denial?.Message;

    public static MutationResult NotOptedIn { get; } = new(MutationOutcome.Skipped, MutationReasons.NotOptedIn, false, [], [], null);

    public static MutationResult Patched(IReadOnlyList<PatchOperation> operations, IReadOnlyList<string> warnings) =>
        operations.Count == 0
            ? new(MutationOutcome.Skipped, MutationReasons.AlreadyMutated, true, [], warnings, null)
            : new(MutationOutcome.Mutated, MutationReasons.Mutated, true, operations, warnings, null);

    public static MutationResult Deny(Denial denial, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(denial);
        return new(MutationOutcome.Denied, denial.Reason.Name, true, [], warnings, denial);
    }
}
