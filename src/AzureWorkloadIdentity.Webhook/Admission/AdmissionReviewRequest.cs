namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The parts of an incoming <c>AdmissionReview</c> the webhook reads (v1 and v1beta1 share them).</summary>
internal sealed class AdmissionReviewRequest<TObject>
    where TObject : class
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public AdmissionRequest<TObject>? Request { get; init; }
}
