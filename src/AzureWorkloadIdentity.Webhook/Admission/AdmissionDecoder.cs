using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// Decodes a request body into an <see cref="AdmissionReviewRequest{TObject}"/> in one forward pass
/// (<see cref="AdmissionReviewReader{TObject}"/>). When the body is valid JSON but not a usable review, the uid is
/// still dug out where possible so the caller can answer with a review. The result holds strings and views only, so
/// the body's buffer may be released as soon as this returns.
/// </summary>
internal static class AdmissionDecoder
{
    /// <summary>The result: the review, or an error and (when it could be read) the uid and apiVersion.</summary>
    internal readonly record struct Decoded<TObject>(AdmissionReviewRequest<TObject>? Review, string? Uid, string? ApiVersion, string? Error)
        where TObject : class;

    public static Decoded<TObject> Decode<TObject>(ReadOnlySpan<byte> body, string? contentType)
        where TObject : class, IAdmissionObject<TObject>
    {
        if (body.IsEmpty)
        {
            return new(null, null, null, "request body is empty; expected an AdmissionReview");
        }

        AdmissionReviewFields<TObject> fields;
        try
        {
            fields = AdmissionReviewReader<TObject>.Read(body);
        }
        catch (JsonException exception)
        {
            return IsJson(contentType)
                ? new(null, null, null, $"request body is not a valid AdmissionReview: {exception.Message}")
                : new(null, null, null, ContentTypeError(contentType));
        }

        return Judge(in fields, contentType);
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

    private static Decoded<TObject> Judge<TObject>(in AdmissionReviewFields<TObject> fields, string? contentType)
        where TObject : class
    {
        var isObject = fields.RootKind == JsonValueKind.Object;
        var uid = isObject && fields.RequestKind == JsonValueKind.Object && fields.Uid.Text is { Length: > 0 } text ? text : null;
        var apiVersion = isObject ? fields.ApiVersion.Text : null;
        if (!IsJson(contentType))
        {
            return new(null, uid, apiVersion, ContentTypeError(contentType));
        }

        if (fields.RootKind == JsonValueKind.Null)
        {
            return new(null, null, null, "request body is JSON null; expected an AdmissionReview");
        }

        if (FirstTypeError(in fields) is { } typeError)
        {
            return new(null, uid, apiVersion, $"request body is not a valid AdmissionReview: {typeError}");
        }

        if (!AdmissionApiVersions.IsSupported(apiVersion) || fields.Kind.Text != "AdmissionReview")
        {
            return new(null, uid, null,
                $"unsupported review {apiVersion ?? "(no apiVersion)"}/{fields.Kind.Text ?? "(no kind)"}; expected kind AdmissionReview in {AdmissionApiVersions.V1} or {AdmissionApiVersions.V1Beta1}");
        }

        if (IsMissing(fields.RequestKind))
        {
            return new(null, null, apiVersion, "AdmissionReview has no request");
        }

        if (uid is null)
        {
            return new(null, null, apiVersion, "AdmissionReview request has no uid");
        }

        var request = new AdmissionRequest<TObject>
        {
            Uid = uid,
            Kind = IsMissing(fields.RequestKindKind) ? null : new GroupVersionKind { Group = fields.Group.Text, Version = fields.Version.Text, Kind = fields.KindName.Text },
            SubResource = fields.SubResource.Text,
            Name = fields.Name.Text,
            Namespace = fields.Namespace.Text,
            Operation = fields.Operation.Text,
            Object = fields.Object,
        };
        return new(new AdmissionReviewRequest<TObject> { ApiVersion = apiVersion, Kind = fields.Kind.Text, Request = request }, uid, apiVersion, null);
    }

    /// <summary>Strict as a serializer: the first known member of the wrong JSON type, in the order of the review's definition.</summary>
    private static string? FirstTypeError<TObject>(in AdmissionReviewFields<TObject> fields)
        where TObject : class
    {
        if (fields.RootKind != JsonValueKind.Object)
        {
            return NotAn("the body", fields.RootKind, "an object");
        }

        if (!IsMissing(fields.RequestKind))
        {
            if (fields.RequestKind != JsonValueKind.Object)
            {
                return NotAn("request", fields.RequestKind, "an object");
            }

            var kindError = IsMissing(fields.RequestKindKind) ? null
                : fields.RequestKindKind != JsonValueKind.Object ? NotAn("request.kind", fields.RequestKindKind, "an object")
                : NotAString(fields.Group, "request.kind.group") ?? NotAString(fields.Version, "request.kind.version") ?? NotAString(fields.KindName, "request.kind.kind");
            var error = NotAString(fields.Uid, "request.uid")
                ?? kindError
                ?? NotAString(fields.SubResource, "request.subResource")
                ?? NotAString(fields.Name, "request.name")
                ?? NotAString(fields.Namespace, "request.namespace")
                ?? NotAString(fields.Operation, "request.operation");
            if (error is not null)
            {
                return error;
            }
        }

        return NotAString(fields.ApiVersion, "apiVersion") ?? NotAString(fields.Kind, "kind");
    }

    private static string? NotAString(JsonField field, string path) =>
        field.IsMissing || field.Kind == JsonValueKind.String ? null : NotAn(path, field.Kind, "a string");

    private static string NotAn(string what, JsonValueKind kind, string expected) => $"{what} is a JSON {kind}, expected {expected}";

    private static bool IsMissing(JsonValueKind kind) => kind is JsonValueKind.Undefined or JsonValueKind.Null;

    private static string ContentTypeError(string? contentType) => $"contentType={contentType ?? "(none)"}, expected application/json";
}
