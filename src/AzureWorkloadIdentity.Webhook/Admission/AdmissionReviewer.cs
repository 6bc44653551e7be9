using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Decides one decoded pod admission: the request's checks (<see cref="BadInputRule"/>), the service account
/// (<see cref="ServiceAccountRule"/>), the pure <see cref="PodMutator"/> and the near misses (<see cref="NearMissRule"/>),
/// then shapes the response. No HTTP here. The caller's <see cref="AdmissionDeadline"/> bounds a look-up the cache
/// cannot answer: one cut off by it becomes a clear denial.
/// </summary>
internal sealed class AdmissionReviewer(PodMutator mutator, IServiceAccountLookup lookup) : IAdmissionReviewer<PodView>
{
    private const string SkipMessage = "pod not labeled or service account not annotated, skipping mutation";
    private static readonly AdmissionStatus SkipStatus = new() { Status = "Success", Code = 200, Message = SkipMessage };

    public async ValueTask<AdmissionDecision> ReviewAsync(AdmissionRequest<PodView> request, AdmissionDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uid = request.Uid!;
        var podName = request.Object?.DisplayName is { Length: > 0 } display ? display : request.Name ?? "";
        var @namespace = request.Namespace is { Length: > 0 } ns ? ns : request.Object?.Metadata.Namespace ?? "";

        if (!string.Equals(request.Operation, "CREATE", StringComparison.Ordinal))
        {
            return new(Allowed(uid, null), MutationOutcome.Skipped, AdmissionReasons.NotCreate, false, podName, @namespace, "");
        }

        var pod = BadInputRule.Check(request, @namespace);
        if (pod.Denial is { } badInput)
        {
            return Deny(uid, badInput, podName, @namespace, "");
        }

        var accountName = ServiceAccountRule.NameOf(pod.Value);
        var account = await ServiceAccountRule.FindAsync(lookup, @namespace, accountName, deadline).ConfigureAwait(false);
        if (account.Denial is { } noAccount)
        {
            return Deny(uid, noAccount, podName, @namespace, accountName);
        }

        var result = mutator.Mutate(pod.Value, account.Value);
        List<AdmissionWarning>? nearMisses = null;
        NearMissRule.Collect(pod.Value, account.Value, result.OptedIn, ref nearMisses);
        var warnings = nearMisses is null ? result.Warnings : [.. result.Warnings, .. nearMisses.Select(w => w.Message)];
        var response = result.Outcome switch
        {
            MutationOutcome.Denied => new AdmissionResponse
            {
                Uid = uid,
                Allowed = false,
                Status = Failure(result.Denial!),
                Warnings = NullIfEmpty(warnings),
                AuditAnnotations = Audit(warnings),
            },
            MutationOutcome.Mutated => new AdmissionResponse
            {
                Uid = uid,
                Allowed = true,
                PatchType = "JSONPatch",
                Patch = new PatchDocument(result.Operations),
                Warnings = NullIfEmpty(warnings),
                AuditAnnotations = Audit(warnings),
            },
            _ => Allowed(uid, result.OptedIn ? null : SkipStatus, warnings),
        };
        return new(response, result.Outcome, result.Reason, result.OptedIn, podName, @namespace, accountName) { Warnings = nearMisses };
    }

    /// <summary>A denial for a request that has a uid.</summary>
    public static AdmissionDecision Deny(string uid, Denial denial, string pod, string @namespace, string serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(denial);
        return new(new AdmissionResponse { Uid = uid, Allowed = false, Status = Failure(denial) },
            MutationOutcome.Denied, denial.Reason.Name, false, pod, @namespace, serviceAccount);
    }

    private static AdmissionStatus Failure(Denial denial) => new() { Status = "Failure", Code = denial.Reason.Code, Message = denial.Message };

    /// <summary>An allowed answer without a patch; warnings also go to the audit log.</summary>
    internal static AdmissionResponse Allowed(string uid, AdmissionStatus? status, IReadOnlyList<string>? warnings = null) => new()
    {
        Uid = uid,
        Allowed = true,
        Status = status,
        Warnings = NullIfEmpty(warnings),
        AuditAnnotations = Audit(warnings),
    };

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string>? warnings) => warnings is { Count: > 0 } ? warnings : null;

    private static Dictionary<string, string>? Audit(IReadOnlyList<string>? warnings) =>
        warnings is { Count: > 0 } ? new() { [WorkloadIdentityAnnotations.MutationWarningAudit] = string.Join(";", warnings) } : null;

    public void Log(ILogger logger, AdmissionDecision decision)
    {
        var response = decision.Response;
        switch (decision.Outcome)
        {
            case MutationOutcome.Mutated:
                AdmissionLog.Mutated(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, response.Patch?.Length ?? 0);
                break;
            case MutationOutcome.Denied:
                AdmissionLog.Denied(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, decision.Reason, response.Status?.Message ?? "");
                break;
            default:
                AdmissionLog.Skipped(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, decision.Reason);
                break;
        }

        if (response.Warnings is { Count: > 0 } warnings && logger.IsEnabled(LogLevel.Information))
        {
            foreach (var warning in warnings)
            {
                AdmissionLog.Warned(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, warning);
            }
        }
    }
}
