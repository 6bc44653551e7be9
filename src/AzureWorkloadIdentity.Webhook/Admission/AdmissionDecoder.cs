using System.Buffers;
using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Decodes a request body into an <see cref="AdmissionReviewRequest"/>. When the body is valid JSON but not a
/// usable review, the uid is still dug out where possible so the caller can answer with a review.
/// </summary>
public static class AdmissionDecoder
{
    /// <summary>The result: the review, or an error and (when it could be read) the uid and apiVersion.</summary>
    public readonly record struct Decoded(AdmissionReviewRequest? Review, string? Uid, string? ApiVersion, string? Error);

    public static Decoded Decode(in ReadOnlySequence<byte> body, string? contentType)
    {
        if (body.IsEmpty)
        {
            return new(null, null, null, "request body is empty; expected an AdmissionReview");
        }

        if (!IsJson(contentType))
        {
            var (uid, apiVersion) = TryReadUid(body);
            return new(null, uid, apiVersion, $"contentType={contentType ?? "(none)"}, expected application/json");
        }

        AdmissionReviewRequest? review;
        try
        {
            var reader = new Utf8JsonReader(body);
            review = JsonSerializer.Deserialize(ref reader, AdmissionJsonContext.Default.AdmissionReviewRequest);
        }
        catch (JsonException exception)
        {
            var (uid, apiVersion) = TryReadUid(body);
            return new(null, uid, apiVersion, $"request body is not a valid AdmissionReview: {exception.Message}");
        }

        if (review is null)
        {
            return new(null, null, null, "request body is JSON null; expected an AdmissionReview");
        }

        var uidText = string.IsNullOrEmpty(review.Request?.Uid) ? null : review.Request.Uid;
        if (!AdmissionApiVersions.IsSupported(review.ApiVersion) || review.Kind != "AdmissionReview")
        {
            return new(null, uidText, null,
                $"unsupported review {review.ApiVersion ?? "(no apiVersion)"}/{review.Kind ?? "(no kind)"}; expected kind AdmissionReview in {AdmissionApiVersions.V1} or {AdmissionApiVersions.V1Beta1}");
        }

        if (review.Request is null)
        {
            return new(null, null, review.ApiVersion, "AdmissionReview has no request");
        }

        if (uidText is null)
        {
            return new(null, null, review.ApiVersion, "AdmissionReview request has no uid");
        }

        return new(review, uidText, review.ApiVersion, null);
    }

    /// <summary>True for <c>application/json</c>, with or without parameters such as a charset.</summary>
    public static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var separator = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (separator < 0 ? contentType : contentType[..separator]).Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private static (string? Uid, string? ApiVersion) TryReadUid(in ReadOnlySequence<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? apiVersion = root.TryGetProperty("apiVersion", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null;
            if (root.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object
                && request.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String && uid.GetString() is { Length: > 0 } text)
            {
                return (text, apiVersion);
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: no uid to answer with.
        }

        return (null, null);
    }
}
