using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Writes an <see cref="AdmissionReviewResponse"/> as JSON, byte for byte what <see cref="JsonSerializer"/> writes
/// with <see cref="AdmissionJsonContext"/> (camelCase names in declaration order, nulls left out, the patch as base64,
/// the default encoder's escaping).
/// </summary>
/// <remarks>
/// Written by hand because the serializer's asynchronous path (<c>TypedResults.Json</c> → <c>WriteAsJsonAsync</c>)
/// cost several times the writing itself on every admission: resumable write state, a logger created per request
/// and the request's service scope (docs/performance.md). <c>AdmissionReviewWriterTests</c> pins the equivalence.
/// </remarks>
public static class AdmissionReviewWriter
{
    private static readonly JsonEncodedText ApiVersion = JsonEncodedText.Encode("apiVersion");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText Response = JsonEncodedText.Encode("response");
    private static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
    private static readonly JsonEncodedText Allowed = JsonEncodedText.Encode("allowed");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText PatchType = JsonEncodedText.Encode("patchType");
    private static readonly JsonEncodedText Patch = JsonEncodedText.Encode("patch");
    private static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    private static readonly JsonEncodedText AuditAnnotations = JsonEncodedText.Encode("auditAnnotations");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");

    public static void Write(Utf8JsonWriter writer, AdmissionReviewResponse review)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(review);
        writer.WriteStartObject();
        WriteIfNotNull(writer, ApiVersion, review.ApiVersion);
        WriteIfNotNull(writer, Kind, review.Kind);
        if (review.Response is { } response)
        {
            writer.WritePropertyName(Response);
            WriteResponse(writer, response);
        }

        writer.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter writer, AdmissionResponse response)
    {
        writer.WriteStartObject();
        WriteIfNotNull(writer, Uid, response.Uid);
        writer.WriteBoolean(Allowed, response.Allowed);
        if (response.Status is { } status)
        {
            writer.WriteStartObject(Status);
            WriteIfNotNull(writer, Status, status.Status);
            writer.WriteNumber(Code, status.Code);
            WriteIfNotNull(writer, Message, status.Message);
            writer.WriteEndObject();
        }

        WriteIfNotNull(writer, PatchType, response.PatchType);
        if (response.Patch is { } patch)
        {
            writer.WriteBase64String(Patch, patch);
        }

        if (response.Warnings is { } warnings)
        {
            writer.WriteStartArray(Warnings);
            for (var i = 0; i < warnings.Count; i++)
            {
                if (warnings[i] is { } warning)
                {
                    writer.WriteStringValue(warning);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }

        if (response.AuditAnnotations is { } annotations)
        {
            writer.WriteStartObject(AuditAnnotations);
            foreach (var (key, value) in annotations)
            {
                writer.WritePropertyName(key);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(value);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
