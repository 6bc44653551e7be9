using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>Writes Graph's JSON: OData metadata content type, <c>@odata.context</c> and collections.</summary>
internal static class GraphJson
{
    private const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), ContentType, System.Text.Encoding.UTF8, status);

    /// <summary>One entity, with its <c>@odata.context</c> first, as Graph writes it.</summary>
    public static IResult Entity(HttpContext context, string entitySet, JsonObject entity, int status = StatusCodes.Status200OK)
    {
        var body = new JsonObject { ["@odata.context"] = $"{BaseUrl(context)}/$metadata#{entitySet}/$entity" };
        foreach (var (name, value) in entity.ToList())
        {
            entity.Remove(name);
            body[name] = value;
        }

        return Result(body, status);
    }

    /// <summary>A collection <c>{"@odata.context", "value":[…]}</c> after <c>$select</c> and <c>$top</c>.</summary>
    public static IResult Collection(HttpContext context, string entitySet, IEnumerable<JsonObject> items, ODataQuery query)
    {
        var value = new JsonArray();
        foreach (var item in query.Top is int top ? items.Take(top) : items)
        {
            value.Add(query.Project(item));
        }

        var body = new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl(context)}/$metadata#{entitySet}",
            ["value"] = value,
        };
        return Result(body);
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/v1.0";

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
