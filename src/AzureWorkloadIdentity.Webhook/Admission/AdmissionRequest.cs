namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary><c>AdmissionReview.request</c>, with <c>object</c> read as the endpoint's <typeparamref name="TObject"/>.</summary>
internal sealed class AdmissionRequest<TObject>
    where TObject : class
{
    public string? Uid { get; init; }

    public GroupVersionKind? Kind { get; init; }

    public string? SubResource { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? Operation { get; init; }

    /// <summary><c>request.object</c> as read (null when missing or JSON null; any other JSON reads as a view of that kind).</summary>
    public TObject? Object { get; init; }
}
