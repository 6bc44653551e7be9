using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>Reads a request body as Graph does: malformed JSON is a <c>Request_BadRequest</c>, not a 500.</summary>
internal static class GraphRequestBody
{
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return body is null
                ? (null, GraphError.BadRequest(context, "The request body is empty; a JSON object is required."))
                : (body, null);
        }
        catch (JsonException e)
        {
            return (null, GraphError.BadRequest(context, $"Invalid JSON in the request body: {e.Message}"));
        }
    }
}
