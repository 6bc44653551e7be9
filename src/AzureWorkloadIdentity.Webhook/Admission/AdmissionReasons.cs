namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>Reasons decided before the mutation runs (metric label values; see also MutationReasons).</summary>
public static class AdmissionReasons
{
    public const string NotCreate = "not-create";
    public const string NotAPod = "not-a-pod";
    public const string BadRequest = "bad-request";
    public const string ServiceAccountNotFound = "service-account-not-found";
    public const string ServiceAccountLookupFailed = "service-account-lookup-failed";

    /// <summary>A workload (Deployment, Job, …) reviewed for warnings: always allowed, never patched.</summary>
    public const string Workload = "workload";

    /// <summary>A request to the workload endpoint for a kind without a pod template the webhook knows.</summary>
    public const string NotAWorkload = "not-a-workload";
}
