using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary><c>AdmissionReview.response</c>.</summary>
internal sealed class AdmissionResponse
{
    public required string Uid { get; init; }

    public required bool Allowed { get; init; }

    public AdmissionStatus? Status { get; init; }

    /// <summary><c>JSONPatch</c> when <see cref="Patch"/> is set.</summary>
    public string? PatchType { get; init; }

    /// <summary>The RFC 6902 document; written as base64 as the API requires.</summary>
    public PatchDocument? Patch { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    public IReadOnlyDictionary<string, string>? AuditAnnotations { get; init; }

    /// <summary>
    /// Writes the <c>AdmissionReview</c> that answers with this response, in <paramref name="apiVersion"/>; members
    /// without a value are left out. Written with the writer rather than the serializer so that the patch goes from its
    /// operations into the answer's base64 without a copy of the document (<see cref="PatchDocument"/>).
    /// </summary>
    public void WriteReview(Utf8JsonWriter json, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("apiVersion"u8, apiVersion);
        json.WriteString("kind"u8, "AdmissionReview"u8);
        json.WriteStartObject("response"u8);
        json.WriteString("uid"u8, Uid);
        json.WriteBoolean("allowed"u8, Allowed);
        if (Status is { } status)
        {
            json.WriteStartObject("status"u8);
            if (status.Status is { } text)
            {
                json.WriteString("status"u8, text);
            }

            json.WriteNumber("code"u8, status.Code);
            if (status.Message is { } message)
            {
                json.WriteString("message"u8, message);
            }

            json.WriteEndObject();
        }

        if (PatchType is { } patchType)
        {
            json.WriteString("patchType"u8, patchType);
        }

        if (Patch is { } patch)
        {
            json.WritePropertyName("patch"u8);
            patch.WriteBase64(json);
        }

        if (Warnings is { } warnings)
        {
            json.WriteStartArray("warnings"u8);
            for (var i = 0; i < warnings.Count; i++)
            {
                json.WriteStringValue(warnings[i]);
            }

            json.WriteEndArray();
        }

        if (AuditAnnotations is { } annotations)
        {
            json.WriteStartObject("auditAnnotations"u8);
            foreach (var (key, value) in annotations)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}

/// <summary>The <c>metav1.Status</c> subset carried by a response.</summary>
internal sealed class AdmissionStatus
{
    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    public string? Status { get; init; }

    public int Code { get; init; }

    public string? Message { get; init; }
}
