using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 10: admission warnings for near misses the webhook can see (shown by <c>kubectl apply</c>), never a denial:
/// the opt-in label with another value than <c>"true"</c>; keys that look like ours but are not; a pod that opts in
/// while neither its service account's client-id nor a container's AZURE_CLIENT_ID names an identity;
/// <c>skip-containers</c> naming a container the pod does not have; proxy annotations on a pod that does not opt in.
/// Nothing is allocated for a pod without near misses except the names of its labels and annotations.
/// </summary>
public static class NearMissRule
{
    /// <summary>
    /// Adds the pod's (or pod template's) near misses to <paramref name="warnings"/> (created on the first one).
    /// Without an <paramref name="account"/> (a workload's account not in the cache) its checks are left out.
    /// </summary>
    public static void Collect(JsonElement pod, ServiceAccountIdentity? account, bool optedIn, ref List<AdmissionWarning>? warnings)
    {
        var labels = PodJson.Labels(pod);
        var annotations = PodJson.Annotations(pod);
        if (PodJson.String(labels, WorkloadIdentityLabels.Use) is { } use && use != WorkloadIdentityLabels.UseValue)
        {
            Add(ref warnings, WarningReasons.UseNotTrue,
                $"label {WorkloadIdentityLabels.Use} is \"{use}\": only \"true\" opts the pod in to Azure workload identity");
        }

        NearMissKeys(labels, "pod label", ref warnings);
        NearMissKeys(annotations, "pod annotation", ref warnings);
        foreach (var key in account?.Annotations.Keys ?? [])
        {
            if (WorkloadIdentityNearMiss.Intended(key) is { } intended)
            {
                Add(ref warnings, WarningReasons.NearMissKey,
                    $"service account {account!.Namespace}/{account.Name} has annotation '{key}', which the webhook ignores; did you mean '{intended}'?");
            }
        }

        if (!optedIn)
        {
            if (PodJson.String(annotations, WorkloadIdentityAnnotations.InjectProxySidecar) is not null
                || PodJson.String(annotations, WorkloadIdentityAnnotations.ProxySidecarPort) is not null)
            {
                Add(ref warnings, WarningReasons.ProxyWithoutOptIn,
                    $"the pod has proxy annotations but does not opt in: add the label {WorkloadIdentityLabels.Use}: \"true\" or remove them");
            }

            return;
        }

        var spec = PodJson.Object(pod, "spec");
        if (account is not null && !account.Annotations.ContainsKey(WorkloadIdentityAnnotations.ClientId) && !AnyContainerSetsClientId(spec))
        {
            Add(ref warnings, WarningReasons.MissingClientId,
                $"service account {account.Namespace}/{account.Name} has no annotation {WorkloadIdentityAnnotations.ClientId} and no container sets {WorkloadIdentityEnvironment.ClientId}: the pod gets no identity to sign in as");
        }

        var skip = SkipContainersRule.Parse(pod);
        foreach (var name in skip)
        {
            // The proxy's containers are injected by the webhook itself, so naming them is no typo.
            if (name is not (WorkloadIdentityDefaults.ProxyContainerName or WorkloadIdentityDefaults.ProxyInitContainerName)
                && !PodJson.ContainsNamed(PodJson.Array(spec, ContainerList.Containers.Field), name)
                && !PodJson.ContainsNamed(PodJson.Array(spec, ContainerList.InitContainers.Field), name))
            {
                Add(ref warnings, WarningReasons.UnknownSkipContainer,
                    $"{WorkloadIdentityAnnotations.SkipContainers} names container '{name}', which the pod does not have; nothing is skipped for it");
            }
        }
    }

    private static void NearMissKeys(JsonElement values, string what, ref List<AdmissionWarning>? warnings)
    {
        if (values.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in values.EnumerateObject())
        {
            if (WorkloadIdentityNearMiss.Intended(property.Name) is { } intended)
            {
                Add(ref warnings, WarningReasons.NearMissKey, $"{what} '{property.Name}' is ignored by the webhook; did you mean '{intended}'?");
            }
        }
    }

    private static bool AnyContainerSetsClientId(JsonElement spec)
    {
        var containers = PodJson.Array(spec, ContainerList.Containers.Field);
        if (containers.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var container in containers.EnumerateArray())
        {
            if (PodJson.ContainsNamed(PodJson.Array(container, "env"), WorkloadIdentityEnvironment.ClientId))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(ref List<AdmissionWarning>? warnings, string reason, string message) =>
        (warnings ??= []).Add(new AdmissionWarning(reason, message));
}
