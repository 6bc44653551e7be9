using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Decodes a request body into an <see cref="AdmissionReviewRequest"/>. When the body is valid JSON but not a
/// usable review, the uid is still dug out where possible so the caller can answer with a review.
/// </summary>
/// <remarks>
/// The body is parsed once into a <see cref="JsonDocument"/> over the caller's buffer (no copy of the bytes) and the
/// pod is the <see cref="JsonElement"/> of <c>request.object</c> in that document, which the rules read in place.
/// Deserialising into a <c>JsonNode</c> property instead cloned the whole pod into a second document on every
/// admission, which under load was the largest single cost of the webhook, and reading the pod through a
/// <c>JsonObject</c> built a node dictionary for every object the rules touched (docs/performance.md).
/// </remarks>
public static class AdmissionDecoder
{
    /// <summary>
    /// The result: the review, or an error and (when it could be read) the uid and apiVersion. The review's pod
    /// reads the caller's buffer through <see cref="Document"/>: keep the buffer until this is disposed.
    /// </summary>
    public readonly record struct Decoded(AdmissionReviewRequest? Review, string? Uid, string? ApiVersion, string? Error, JsonDocument? Document = null)
        : IDisposable
    {
        public void Dispose() => Document?.Dispose();
    }

    public static Decoded Decode(ReadOnlyMemory<byte> body, string? contentType)
    {
        if (body.IsEmpty)
        {
            return new(null, null, null, "request body is empty; expected an AdmissionReview");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            return IsJson(contentType)
                ? new(null, null, null, $"request body is not a valid AdmissionReview: {exception.Message}")
                : new(null, null, null, ContentTypeError(contentType));
        }

        var decoded = Decode(document.RootElement, contentType);
        if (decoded.Review is null)
        {
            document.Dispose();
            return decoded;
        }

        return decoded with { Document = document };
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

    private static Decoded Decode(JsonElement root, string? contentType)
    {
        var uid = UidOf(root);
        if (!IsJson(contentType))
        {
            return new(null, uid, ApiVersionOf(root), ContentTypeError(contentType));
        }

        if (root.ValueKind == JsonValueKind.Null)
        {
            return new(null, null, null, "request body is JSON null; expected an AdmissionReview");
        }

        AdmissionReviewRequest review;
        try
        {
            review = ReadReview(root);
        }
        catch (InvalidDataException exception)
        {
            return new(null, uid, ApiVersionOf(root), $"request body is not a valid AdmissionReview: {exception.Message}");
        }

        if (!AdmissionApiVersions.IsSupported(review.ApiVersion) || review.Kind != "AdmissionReview")
        {
            return new(null, uid, null,
                $"unsupported review {review.ApiVersion ?? "(no apiVersion)"}/{review.Kind ?? "(no kind)"}; expected kind AdmissionReview in {AdmissionApiVersions.V1} or {AdmissionApiVersions.V1Beta1}");
        }

        if (review.Request is null)
        {
            return new(null, null, review.ApiVersion, "AdmissionReview has no request");
        }

        return uid is null
            ? new(null, null, review.ApiVersion, "AdmissionReview request has no uid")
            : new(review, uid, review.ApiVersion, null);
    }

    private static string ContentTypeError(string? contentType) => $"contentType={contentType ?? "(none)"}, expected application/json";

    // Strict as the serializer was: a known field of the wrong JSON type makes the review invalid.
    private static AdmissionReviewRequest ReadReview(JsonElement root)
    {
        RequireObject(root, "the body");
        var request = Property(root, "request");
        AdmissionRequest? admission = null;
        if (request.ValueKind != JsonValueKind.Undefined)
        {
            RequireObject(request, "request");
            var kind = Property(request, "kind");
            admission = new AdmissionRequest
            {
                Uid = String(request, "uid", "request"),
                Kind = kind.ValueKind == JsonValueKind.Undefined ? null : ReadKind(kind),
                SubResource = String(request, "subResource", "request"),
                Name = String(request, "name", "request"),
                Namespace = String(request, "namespace", "request"),
                Operation = String(request, "operation", "request"),
                Object = Property(request, "object"),
            };
        }

        return new AdmissionReviewRequest { ApiVersion = String(root, "apiVersion", ""), Kind = String(root, "kind", ""), Request = admission };
    }

    private static GroupVersionKind ReadKind(JsonElement kind)
    {
        RequireObject(kind, "request.kind");
        return new GroupVersionKind
        {
            Group = String(kind, "group", "request.kind"),
            Version = String(kind, "version", "request.kind"),
            Kind = String(kind, "kind", "request.kind"),
        };
    }

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{what} is a JSON {element.ValueKind}, expected an object");
        }
    }

    /// <summary>The property, or <c>Undefined</c> when it is missing or JSON null.</summary>
    private static JsonElement Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    private static string? String(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        return value.ValueKind switch
        {
            JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => throw new InvalidDataException($"{(path.Length == 0 ? name : path + "." + name)} is a JSON {value.ValueKind}, expected a string"),
        };
    }

    private static string? UidOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && Property(root, "request") is { ValueKind: JsonValueKind.Object } request
        && Property(request, "uid") is { ValueKind: JsonValueKind.String } uid
        && uid.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string? ApiVersionOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && Property(root, "apiVersion") is { ValueKind: JsonValueKind.String } version
            ? version.GetString()
            : null;
}
