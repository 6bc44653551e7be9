using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The answer to one admission plus what logs and metrics record about it.</summary>
internal sealed record AdmissionDecision(
    AdmissionResponse Response,
    MutationOutcome Outcome,
    string Reason,
    bool OptedIn,
    string Pod,
    string Namespace,
    string ServiceAccount)
{
    /// <summary>The near misses answered as warnings (each counted under its reason); null when there are none.</summary>
    public IReadOnlyList<AdmissionWarning>? Warnings { get; init; }
}
