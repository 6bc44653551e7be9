namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>The <c>AdmissionReview</c> the webhook answers with, in the request's apiVersion.</summary>
internal sealed class AdmissionReviewResponse
{
    public required string ApiVersion { get; init; }

    public string Kind { get; init; } = "AdmissionReview";

    public required AdmissionResponse Response { get; init; }
}

/// <summary><c>AdmissionReview.response</c>.</summary>
internal sealed class AdmissionResponse
{
    public required string Uid { get; init; }

    public required bool Allowed { get; init; }

    public AdmissionStatus? Status { get; init; }

    /// <summary><c>JSONPatch</c> when <see cref="Patch"/> is set.</summary>
    public string? PatchType { get; init; }

    /// <summary>The RFC 6902 document; serialised as base64 as the API requires.</summary>
    public byte[]? Patch { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    public IReadOnlyDictionary<string, string>? AuditAnnotations { get; init; }
}

/// <summary>The <c>metav1.Status</c> subset carried by a response.</summary>
internal sealed class AdmissionStatus
{
    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    public string? Status { get; init; }

    public int Code { get; init; }

    public string? Message { get; init; }
}
