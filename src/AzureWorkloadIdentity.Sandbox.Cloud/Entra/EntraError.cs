using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// A refusal of the token endpoint, in Entra ID's shape: <c>error</c>, <c>error_description</c> beginning with
/// <c>AADSTSnnnnn: </c> and ending with trace and correlation ids and a timestamp, <c>error_codes</c>, and so on.
/// </summary>
public sealed record EntraError(int StatusCode, string Error, int Code, string Message)
{
    public IResult ToResult(TimeProvider time, string? correlationId)
    {
        var now = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var traceId = Guid.NewGuid().ToString();
        var correlation = string.IsNullOrWhiteSpace(correlationId) ? Guid.NewGuid().ToString() : correlationId;
        var body = new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Message} Trace ID: {traceId} Correlation ID: {correlation} Timestamp: {now}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = now,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlation,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={Code}",
        };
        return Results.Content(body.ToJsonString(), "application/json; charset=utf-8", statusCode: StatusCode);
    }
}
