namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>Reasons decided before the mutation runs (metric label values; see also MutationReasons).</summary>
public static class AdmissionReasons
{
    public const string NotCreate = "not-create";
    public const string NotAPod = "not-a-pod";
    public const string BadRequest = "bad-request";
    public const string ServiceAccountNotFound = "service-account-not-found";
    public const string ServiceAccountLookupFailed = "service-account-lookup-failed";
}
