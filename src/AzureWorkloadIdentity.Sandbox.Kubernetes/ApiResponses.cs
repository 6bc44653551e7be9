using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>Writes the API's JSON answers: objects, lists of stored objects, Status errors, watch event lines.</summary>
internal static class ApiResponses
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode value, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, KubernetesJsonContext.Default.JsonNode), context.RequestAborted);
    }

    public static async Task WriteObjectAsync(HttpContext context, int status, StoredObject stored)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(stored.Utf8Json, context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, KubernetesApiException error) =>
        WriteJsonAsync(context, error.Code, KubernetesStatus.Failure(error));

    public static async Task WriteListAsync(
        HttpContext context, ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion, string? continueToken = null)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Utf8Json.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteEventAsync(HttpContext context, string type, ReadOnlyMemory<byte> utf8Object, CancellationToken cancellationToken)
    {
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            writer.WriteRawValue(utf8Object.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        context.Response.BodyWriter.Write(NewLine);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    public static Task WriteEventAsync(HttpContext context, string type, JsonNode value, CancellationToken cancellationToken) =>
        WriteEventAsync(context, type, JsonSerializer.SerializeToUtf8Bytes(value, KubernetesJsonContext.Default.JsonNode), cancellationToken);

    /// <summary>Reads the request body (limit 3 MiB, as kube-apiserver).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        const int Limit = 3 * 1024 * 1024;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > Limit)
            {
                throw new KubernetesApiException(413, "RequestEntityTooLarge", "the request body is larger than 3 MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static JsonNode ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw KubernetesApiException.BadRequest("the request body is empty or null");
        }
        catch (JsonException ex)
        {
            throw KubernetesApiException.BadRequest("the request body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>
    /// Reads the body as an object: JSON, or the protobuf kubectl's typed clients send (see <see cref="Protobuf.KubernetesProtobuf"/>).
    /// </summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            null or "" or "application/json" => ParseObject(body),
            Protobuf.KubernetesProtobuf.MediaType => Protobuf.KubernetesProtobuf.Decode(body),
            _ => throw new KubernetesApiException(
                415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf (got '{context.Request.ContentType}')"),
        };
    }

    public static JsonObject ParseObject(byte[] body) =>
        ParseJson(body) as JsonObject ?? throw KubernetesApiException.BadRequest("the request body must be a JSON object");
}
