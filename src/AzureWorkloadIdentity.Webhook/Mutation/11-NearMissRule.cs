using System.Runtime.CompilerServices;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 11: admission warnings for near misses the webhook can see (shown by <c>kubectl apply</c>), never a denial:
/// the opt-in label with another value than <c>"true"</c>; keys that look like ours but are not; a pod that opts in
/// while neither its service account's client-id nor a container's AZURE_CLIENT_ID names an identity;
/// <c>skip-containers</c> naming a container the pod does not have; proxy annotations on a pod that does not opt in.
/// The near-miss keys are found while the pod is read (<see cref="Wire.NearMissKeyFilter"/>), so a pod without
/// near misses costs nothing here; a service account's are found once per cached account.
/// </summary>
internal static class NearMissRule
{
    // A service account's near misses depend on the account alone: found when an account is first met (the cache
    // hands out one instance per version of an account with annotations), not on every admission of its pods.
    private static readonly ConditionalWeakTable<ServiceAccountIdentity, string[]> AccountNearMisses = [];
    private static readonly ConditionalWeakTable<ServiceAccountIdentity, string[]>.CreateValueCallback FindAccountNearMisses = account =>
    [
        .. account.Annotations.Keys
            .Select(key => (Key: key, Intended: WorkloadIdentityNearMiss.Intended(key)))
            .Where(key => key.Intended is not null)
            .Select(key => $"service account {account.Namespace}/{account.Name} has annotation '{key.Key}', which the webhook ignores; did you mean '{key.Intended}'?"),
    ];

    /// <summary>
    /// Adds the pod's (or pod template's) near misses to <paramref name="warnings"/> (created on the first one).
    /// Without an <paramref name="account"/> (a workload's account not in the cache) its checks are left out.
    /// </summary>
    public static void Collect(PodView pod, ServiceAccountIdentity? account, bool optedIn, ref List<AdmissionWarning>? warnings)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod.Metadata;
        if (metadata.UseLabel is { } use && use != WorkloadIdentityLabels.UseValue)
        {
            Add(ref warnings, WarningReasons.UseNotTrue,
                $"label {WorkloadIdentityLabels.Use} is \"{use}\": only \"true\" opts the pod in to Azure workload identity");
        }

        NearMissKeys(metadata.NearMissLabels, "pod label", ref warnings);
        NearMissKeys(metadata.NearMissAnnotations, "pod annotation", ref warnings);
        // An account without annotations has none to miss; the cache answers it with a new instance each time.
        if (account is { Annotations.Count: > 0 })
        {
            foreach (var message in AccountNearMisses.GetValue(account, FindAccountNearMisses))
            {
                Add(ref warnings, WarningReasons.NearMissKey, message);
            }
        }

        var annotations = metadata.Annotations;
        if (!optedIn)
        {
            if (annotations.InjectProxySidecar is not null || annotations.ProxySidecarPort is not null)
            {
                Add(ref warnings, WarningReasons.ProxyWithoutOptIn,
                    $"the pod has proxy annotations but does not opt in: add the label {WorkloadIdentityLabels.Use}: \"true\" or remove them");
            }

            return;
        }

        var spec = pod.Spec;
        if (account is not null && !account.Annotations.ContainsKey(WorkloadIdentityAnnotations.ClientId)
            && !spec.Containers.Items.Any(container => container.Env(WorkloadIdentityEnvironment.ClientId) is not null))
        {
            Add(ref warnings, WarningReasons.MissingClientId,
                $"service account {account.Namespace}/{account.Name} has no annotation {WorkloadIdentityAnnotations.ClientId} and no container sets {WorkloadIdentityEnvironment.ClientId}: the pod gets no identity to sign in as");
        }

        foreach (var name in SkipContainersRule.Parse(pod))
        {
            // The proxy's containers are injected by the webhook itself, so naming them is no typo.
            if (name is not (WorkloadIdentityDefaults.ProxyContainerName or WorkloadIdentityDefaults.ProxyInitContainerName) && !spec.HasContainer(name))
            {
                Add(ref warnings, WarningReasons.UnknownSkipContainer,
                    $"{WorkloadIdentityAnnotations.SkipContainers} names container '{name}', which the pod does not have; nothing is skipped for it");
            }
        }
    }

    private static void NearMissKeys(List<NearMissKey>? keys, string what, ref List<AdmissionWarning>? warnings)
    {
        if (keys is null)
        {
            return;
        }

        foreach (var (key, intended) in keys)
        {
            Add(ref warnings, WarningReasons.NearMissKey, $"{what} '{key}' is ignored by the webhook; did you mean '{intended}'?");
        }
    }

    private static void Add(ref List<AdmissionWarning>? warnings, string reason, string message) =>
        (warnings ??= []).Add(new AdmissionWarning(reason, message));
}
