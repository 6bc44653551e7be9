using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Decides one decoded admission request: checks it, looks the service account up, runs the pure
/// <see cref="PodMutator"/> and shapes the response. No HTTP here. The caller's token carries the admission's
/// deadline (<see cref="AdmissionBudget"/>): a look-up cut off by it becomes a clear denial.
/// </summary>
public sealed class AdmissionReviewer(PodMutator mutator, IServiceAccountLookup lookup, AdmissionBudget? budget = null) : IAdmissionReviewer
{
    private const string SkipMessage = "pod not labeled or service account not annotated, skipping mutation";
    private static readonly AdmissionStatus SkipStatus = new() { Status = "Success", Code = 200, Message = SkipMessage };

    public async ValueTask<AdmissionDecision> ReviewAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uid = request.Uid!;
        var pod = request.Object;
        var podName = PodJson.DisplayName(pod) is { Length: > 0 } display ? display : request.Name ?? "";
        var @namespace = request.Namespace is { Length: > 0 } ns ? ns : PodJson.String(PodJson.Object(pod, "metadata"), "namespace") ?? "";

        if (!string.Equals(request.Operation, "CREATE", StringComparison.Ordinal))
        {
            return new(Allowed(uid, null), MutationOutcome.Skipped, AdmissionReasons.NotCreate, false, podName, @namespace, "");
        }

        var kind = request.Kind?.Kind ?? PodJson.String(pod, "kind");
        if (kind != "Pod" || !string.IsNullOrEmpty(request.Kind?.Group) || !string.IsNullOrEmpty(request.SubResource))
        {
            var what = string.IsNullOrEmpty(request.SubResource) ? kind ?? "(unknown kind)" : $"{kind}/{request.SubResource}";
            return Deny(uid, AdmissionReasons.NotAPod, 400, $"this webhook only mutates pods; the request is for {what}", podName, @namespace, "");
        }

        if (pod.ValueKind != JsonValueKind.Object)
        {
            return Deny(uid, AdmissionReasons.BadRequest, 400, "request.object is missing or not a JSON object; expected the pod being created", podName, @namespace, "");
        }

        if (@namespace.Length == 0)
        {
            return Deny(uid, AdmissionReasons.BadRequest, 400, "request.namespace is missing; cannot find the pod's service account", podName, @namespace, "");
        }

        var accountName = PodJson.String(PodJson.Object(pod, "spec"), "serviceAccountName") is { Length: > 0 } named
            ? named
            : WorkloadIdentityDefaults.DefaultServiceAccountName;

        ServiceAccountIdentity? account;
        try
        {
            account = await lookup.FindAsync(@namespace, accountName, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceAccountLookupException exception)
        {
            return Deny(uid, AdmissionReasons.ServiceAccountLookupFailed, 500,
                $"could not look up service account {@namespace}/{accountName}: {exception.Message}", podName, @namespace, accountName);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline (or the API server hanging up): answer while the API server may still be listening.
            var within = budget is null ? "in time" : $"within the admission budget of {budget.Describe()}";
            return Deny(uid, AdmissionReasons.ServiceAccountLookupFailed, 500,
                $"could not look up service account {@namespace}/{accountName}: the Kubernetes API server did not answer {within}; " +
                "check the API server's health and the webhook's connection to it",
                podName, @namespace, accountName);
        }

        if (account is null)
        {
            return Deny(uid, AdmissionReasons.ServiceAccountNotFound, 400,
                $"service account {@namespace}/{accountName} not found; create it before the pod, or set spec.serviceAccountName to an existing one",
                podName, @namespace, accountName);
        }

        var result = mutator.Mutate(pod, account);
        List<AdmissionWarning>? nearMisses = null;
        NearMissRule.Collect(pod, account, result.OptedIn, ref nearMisses);
        var warnings = nearMisses is null ? result.Warnings : [.. result.Warnings, .. nearMisses.Select(w => w.Message)];
        var response = result.Outcome switch
        {
            MutationOutcome.Denied => new AdmissionResponse
            {
                Uid = uid,
                Allowed = false,
                Status = new AdmissionStatus { Status = "Failure", Code = 400, Message = result.DenialMessage },
                Warnings = NullIfEmpty(warnings),
                AuditAnnotations = Audit(warnings),
            },
            MutationOutcome.Mutated => new AdmissionResponse
            {
                Uid = uid,
                Allowed = true,
                PatchType = "JSONPatch",
                Patch = PatchBuilder.ToUtf8(result.Operations),
                Warnings = NullIfEmpty(warnings),
                AuditAnnotations = Audit(warnings),
            },
            _ => Allowed(uid, result.OptedIn ? null : SkipStatus, warnings),
        };
        return new(response, result.Outcome, result.Reason, result.OptedIn, podName, @namespace, accountName) { Warnings = nearMisses };
    }

    /// <summary>A denial for a request that has a uid.</summary>
    public static AdmissionDecision Deny(string uid, string reason, int code, string message, string pod, string @namespace, string serviceAccount) =>
        new(new AdmissionResponse { Uid = uid, Allowed = false, Status = new AdmissionStatus { Status = "Failure", Code = code, Message = message } },
            MutationOutcome.Denied, reason, false, pod, @namespace, serviceAccount);

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
