using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.
/// The SDK surfaces <c>code</c> and <c>message</c> as <c>ODataError.Error.Code</c> / <c>.Message</c>.
/// </summary>
internal static class GraphError
{
    public const string ResourceNotFound = "Request_ResourceNotFound";
    public const string MultipleObjectsWithSameKeyValue = "Request_MultipleObjectsWithSameKeyValue";
    public const string BadRequestCode = "Request_BadRequest";
    public const string UnsupportedQuery = "Request_UnsupportedQuery";
    public const string InvalidAuthenticationToken = "InvalidAuthenticationToken";

    public static IResult NotFound(HttpContext context, string id) => Create(
        context,
        StatusCodes.Status404NotFound,
        ResourceNotFound,
        $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static IResult BadRequest(HttpContext context, string message) =>
        Create(context, StatusCodes.Status400BadRequest, BadRequestCode, message);

    public static IResult Create(HttpContext context, int status, string code, string message)
    {
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = context.Request.Headers["client-request-id"].ToString() is { Length: > 0 } id
                        ? id
                        : Guid.NewGuid().ToString(),
                },
            },
        };
        return GraphJson.Result(body, status);
    }
}
