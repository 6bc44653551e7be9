using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The parts of an incoming <c>AdmissionReview</c> the webhook reads (v1 and v1beta1 share them).</summary>
public sealed class AdmissionReviewRequest
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public AdmissionRequest? Request { get; set; }
}

/// <summary><c>AdmissionReview.request</c>; the object stays raw JSON so unknown fields are never lost.</summary>
public sealed class AdmissionRequest
{
    public string? Uid { get; set; }

    public GroupVersionKind? Kind { get; set; }

    public string? SubResource { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Operation { get; set; }

    /// <summary>
    /// <c>request.object</c> as an element of the decoder's document (undefined when missing or JSON null): read it
    /// only while that document is alive, i.e. before the decoded review is disposed.
    /// </summary>
    public JsonElement Object { get; set; }
}

/// <summary>A Kubernetes group/version/kind.</summary>
public sealed class GroupVersionKind
{
    public string? Group { get; set; }

    public string? Version { get; set; }

    public string? Kind { get; set; }
}
