namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The AdmissionReview versions the webhook speaks.</summary>
internal static class AdmissionApiVersions
{
    public const string V1 = "admission.k8s.io/v1";
    public const string V1Beta1 = "admission.k8s.io/v1beta1";

    public static bool IsSupported(string? apiVersion) => apiVersion is V1 or V1Beta1;
}
