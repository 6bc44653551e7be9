using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Workloads;

/// <summary>
/// Reviews a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob being created or updated: always
/// allowed, never patched, answered with warnings (shown by <c>kubectl apply</c>) when its pods will not get the
/// identity the user meant: the opt-in label on the workload's own metadata but not on its pod template, and every
/// near miss of <see cref="NearMissRule"/> found in the template. The template's service account is read from the
/// cache only: a workload admission never costs an API call, and an account the cache does not hold is not judged.
/// </summary>
internal sealed class WorkloadReviewer(IServiceAccountLookup lookup) : IAdmissionReviewer<WorkloadView>
{
    public ValueTask<AdmissionDecision> ReviewAsync(AdmissionRequest<WorkloadView> request, AdmissionDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uid = request.Uid!;
        var workload = request.Object;
        var kind = request.Kind?.Kind ?? workload?.Kind ?? "(unknown kind)";
        var name = workload?.Metadata.Name is { Length: > 0 } named ? named : request.Name ?? "";
        var display = $"{kind}/{name}";
        var @namespace = request.Namespace is { Length: > 0 } ns ? ns : workload?.Metadata.Namespace ?? "";

        if (request.Operation is not ("CREATE" or "UPDATE"))
        {
            return Decide(uid, AdmissionReasons.NotCreate, display, @namespace, "", null);
        }

        var path = WorkloadTemplate.PathOf(request.Kind?.Group, kind);
        var template = path is null || workload is null ? null : WorkloadTemplate.Find(workload, path);
        if (path is null || template is not { Shape: JsonValueKind.Object } || !string.IsNullOrEmpty(request.SubResource))
        {
            return Decide(uid, AdmissionReasons.NotAWorkload, display, @namespace, "", null);
        }

        List<AdmissionWarning>? warnings = null;
        if (workload!.Metadata.UseLabel is not null && template.Metadata.UseLabel is null)
        {
            (warnings ??= []).Add(new AdmissionWarning(WarningReasons.LabelNotOnTemplate,
                $"label {WorkloadIdentityLabels.Use} is on the {kind}'s own metadata but not on its pod template ({path}.metadata.labels): " +
                "its pods do not opt in to Azure workload identity; move the label to the pod template"));
        }

        var accountName = ServiceAccountRule.NameOf(template);
        ServiceAccountIdentity? cached = null;
        if (@namespace.Length > 0)
        {
            lookup.TryGetCached(@namespace, accountName, out cached);
        }

        var optedIn = template.Metadata.UseLabel == WorkloadIdentityLabels.UseValue;
        NearMissRule.Collect(template, cached, optedIn, ref warnings);
        return Decide(uid, AdmissionReasons.Workload, display, @namespace, accountName,
            warnings?.Select(w => w with { Message = $"{display}: {w.Message}" }).ToList());
    }

    public void Log(ILogger logger, AdmissionDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        AdmissionLog.WorkloadReviewed(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, decision.Reason, decision.Warnings?.Count ?? 0);
        if (logger.IsEnabled(LogLevel.Information))
        {
            foreach (var warning in decision.Warnings ?? [])
            {
                AdmissionLog.WorkloadWarned(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, warning.Message);
            }
        }
    }

    private static ValueTask<AdmissionDecision> Decide(
        string uid, string reason, string workload, string @namespace, string serviceAccount, List<AdmissionWarning>? warnings) =>
        ValueTask.FromResult(new AdmissionDecision(
            AdmissionReviewer.Allowed(uid, null, warnings?.ConvertAll(w => w.Message)),
            MutationOutcome.Skipped, reason, false, workload, @namespace, serviceAccount)
        { Warnings = warnings });
}
