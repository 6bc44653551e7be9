using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Reads and writes Resource Manager JSON.</summary>
internal static class ArmJson
{
    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);

    public static IResult List(IEnumerable<JsonObject> items) =>
        Result(new JsonObject { ["value"] = new JsonArray([.. items]) });

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>Reads the body; malformed JSON is ARM's 400 <c>InvalidRequestContent</c>, not a 500.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted);
            return body is null
                ? (null, ArmError.BadRequest("InvalidRequestContent", "The request content was invalid: a JSON object is required."))
                : (body, null);
        }
        catch (JsonException e)
        {
            return (null, ArmError.BadRequest("InvalidRequestContent", $"The request content was invalid and could not be deserialized: {e.Message}"));
        }
    }
}
