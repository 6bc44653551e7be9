namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Reasons of requests answered without deciding a pod (metric label values); refusals are in
/// <see cref="Mutation.DenialReasons"/>, the pod's own outcomes in <see cref="Mutation.MutationReasons"/>.
/// </summary>
internal static class AdmissionReasons
{
    public const string NotCreate = "not-create";

    /// <summary>A workload (Deployment, Job, …) reviewed for warnings: always allowed, never patched.</summary>
    public const string Workload = "workload";

    /// <summary>A request to the workload endpoint for a kind without a pod template the webhook knows.</summary>
    public const string NotAWorkload = "not-a-workload";
}
