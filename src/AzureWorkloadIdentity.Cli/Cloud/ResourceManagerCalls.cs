using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>Role definition lookup and role assignment create/delete through the Resource Manager pipeline.</summary>
public static class ResourceManagerCalls
{
    public const string AuthorizationApiVersion = "2022-04-01";

    public static async Task<string> FindRoleDefinitionIdAsync(AzureConnection azure, string roleName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var filter = Uri.EscapeDataString(ODataFilter.Equal("roleName", roleName));
        var (status, body) = await SendAsync(azure, RequestMethod.Get,
            $"providers/Microsoft.Authorization/roleDefinitions?$filter={filter}&api-version={AuthorizationApiVersion}", null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(status, body, "list role definitions");
        var first = body?["value"]?.AsArray().FirstOrDefault();
        return first?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"role definition {roleName} not found (check --azure-role)");
    }

    /// <summary>PUT a role assignment; returns the status and the body (409 = it already exists).</summary>
    public static Task<(int Status, JsonNode? Body)> CreateRoleAssignmentAsync(
        AzureConnection azure, string scope, string assignmentName, string roleDefinitionId, string principalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = roleDefinitionId,
                ["principalId"] = principalId,
            },
        };
        return SendAsync(azure, RequestMethod.Put,
            $"{scope.Trim('/')}/providers/Microsoft.Authorization/roleAssignments/{assignmentName}?api-version={AuthorizationApiVersion}", body, cancellationToken);
    }

    /// <summary>
    /// The principal's role assignments that apply at <paramref name="scope"/> (ARM's <c>principalId eq</c> filter
    /// answers those at, above and below it), following <c>nextLink</c>.
    /// </summary>
    public static async Task<IReadOnlyList<JsonNode>> ListRoleAssignmentsAsync(
        AzureConnection azure, string scope, string principalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var filter = Uri.EscapeDataString(ODataFilter.Equal("principalId", principalId));
        var assignments = new List<JsonNode>();
        string? next = $"{scope.Trim('/')}/providers/Microsoft.Authorization/roleAssignments?$filter={filter}&api-version={AuthorizationApiVersion}";
        while (next is not null)
        {
            var (status, body) = await SendAsync(azure, RequestMethod.Get, next, null, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(status, body, "list role assignments");
            assignments.AddRange(body?["value"]?.AsArray().OfType<JsonNode>() ?? []);
            next = body?["nextLink"]?.GetValue<string>();
        }

        return assignments;
    }

    public static Task<(int Status, JsonNode? Body)> DeleteByIdAsync(AzureConnection azure, string resourceId, CancellationToken cancellationToken) =>
        SendAsync(azure, RequestMethod.Delete, $"{resourceId.Trim('/')}?api-version={AuthorizationApiVersion}", null, cancellationToken);

    public static void EnsureSuccess(int status, JsonNode? body, string what)
    {
        if (status is >= 200 and < 300)
        {
            return;
        }

        throw new InvalidOperationException($"failed to {what}: {Describe(status, body)}");
    }

    public static string Describe(int status, JsonNode? body)
    {
        var error = body?["error"];
        return error is null
            ? $"HTTP {status}"
            : $"HTTP {status}, code: {error["code"]?.GetValue<string>()}, message: {error["message"]?.GetValue<string>()}";
    }

    public static async Task<(int Status, JsonNode? Body)> SendAsync(
        AzureConnection azure, RequestMethod method, string relative, JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = azure.ResourceManager.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(azure.Cloud.Cloud.ResourceManagerEndpoint, relative));
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        await azure.ResourceManager.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        JsonNode? parsed = null;
        if (response.Content is { } content && content.ToMemory().Length > 0)
        {
            try
            {
                parsed = JsonNode.Parse(content.ToString());
            }
            catch (JsonException)
            {
                parsed = null;
            }
        }

        return (response.Status, parsed);
    }
}
