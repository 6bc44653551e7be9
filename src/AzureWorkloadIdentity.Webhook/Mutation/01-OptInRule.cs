using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 1: a pod is mutated when its label, or its service account's label or annotation,
/// <c>azure.workload.identity/use</c> is exactly <c>"true"</c> (stricter than the original's key-presence check).
/// </summary>
internal static class OptInRule
{
    /// <summary>Warning returned when only the service account opts the pod in.</summary>
    public const string MissingPodLabelWarning =
        "pod missing label 'azure.workload.identity/use: \"true\"'. This label will be required in a future release for the webhook to mutate pod. Please add the label to the pod.";

    /// <summary>Whether the pod is opted in, and whether that happened without the pod label.</summary>
    public static (bool OptedIn, bool PodLabelMissing) Evaluate(PodView pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        if (pod.Metadata.UseLabel == WorkloadIdentityLabels.UseValue)
        {
            return (true, false);
        }

        var accountOptsIn = IsTrue(serviceAccount.Labels) || IsTrue(serviceAccount.Annotations);
        return (accountOptsIn, accountOptsIn);
    }

    private static bool IsTrue(IReadOnlyDictionary<string, string> values) =>
        values.TryGetValue(WorkloadIdentityLabels.Use, out var value) && value == WorkloadIdentityLabels.UseValue;
}
