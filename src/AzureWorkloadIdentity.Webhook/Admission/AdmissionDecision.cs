using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The answer to one admission plus what logs and metrics record about it.</summary>
public sealed record AdmissionDecision(
    AdmissionResponse Response,
    MutationOutcome Outcome,
    string Reason,
    bool OptedIn,
    string Pod,
    string Namespace,
    string ServiceAccount);
