using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary><c>Microsoft.ManagedIdentity/userAssignedIdentities</c>: PUT, GET, list in a group, DELETE.</summary>
internal static class UserAssignedIdentitiesApi
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

    public static async Task<IResult> PutAsync(HttpRequest request, SandboxDirectory directory, string resourceGroupName, string name)
    {
        var (body, error) = await ArmJson.ReadAsync(request, ArmJsonContext.Default.TrackedResourceRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.Location))
        {
            return ArmError.LocationRequired();
        }

        if (!ArmNames.IsValidIdentityName(name))
        {
            return ArmError.BadRequest(
                "InvalidResourceName",
                $"Resource name '{name}' is invalid: a user-assigned identity name has 3 to 128 letters, digits, '-' or '_', starting with a letter or digit.");
        }

        var result = directory.Update<(UserAssignedIdentity? Identity, bool Created, IResult? Error)>(state =>
        {
            if (ResourceGroupsApi.Find(state, directory.SubscriptionId, resourceGroupName) is not { } group)
            {
                return (state, (null, false, ArmError.ResourceGroupNotFound(resourceGroupName)));
            }

            var id = $"{group.Id}/providers/{Type}/{name}";
            if (state.Identities.TryGetValue(id, out var existing))
            {
                // A PUT on an existing identity keeps its client and principal ids, as Azure does.
                var updated = existing with { Location = body.Location };
                return (state with { Identities = state.Identities.With(id, updated) }, (updated, false, null));
            }

            var identity = new UserAssignedIdentity(
                directory.TenantId,
                directory.SubscriptionId,
                group.Name,
                name,
                body.Location,
                id,
                Guid.NewGuid().ToString(),
                Guid.NewGuid().ToString(),
                directory.Time.GetUtcNow(),
                []);
            return (state with { Identities = state.Identities.With(id, identity) }, (identity, true, null));
        });
        return result.Error ?? ArmJson.Result(Represent(result.Identity!), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Get(SandboxDirectory directory, string resourceGroupName, string name) =>
        Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName, name) is { } identity
            ? ArmJson.Result(Represent(identity))
            : NotFound(directory, resourceGroupName, name);

    public static IResult List(SandboxDirectory directory, string resourceGroupName)
    {
        var state = directory.Snapshot;
        if (ResourceGroupsApi.Find(state, directory.SubscriptionId, resourceGroupName) is not { } group)
        {
            return ArmError.ResourceGroupNotFound(resourceGroupName);
        }

        return ArmJson.List(state.Identities.Values
            .Where(i => ArmScope.IsWithin(i.ResourceId, group.Id))
            .OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .Select(Represent));
    }

    /// <summary>200 when deleted, 204 when there was nothing to delete (ARM's convention for DELETE).</summary>
    public static IResult Delete(SandboxDirectory directory, string resourceGroupName, string name)
    {
        var id = IdOf(directory, resourceGroupName, name);
        var deleted = directory.Update(state => state.Identities.ContainsKey(id)
            ? (state with { Identities = state.Identities.Without(id) }, true)
            : (state, false));
        return deleted ? Results.Ok() : Results.NoContent();
    }

    public static string IdOf(SandboxDirectory directory, string resourceGroupName, string name) =>
        $"/subscriptions/{directory.SubscriptionId}/resourceGroups/{resourceGroupName}/providers/{Type}/{name}";

    public static UserAssignedIdentity? Find(SandboxDirectory.State state, string subscriptionId, string resourceGroupName, string name) =>
        state.Identities.GetValueOrDefault($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{Type}/{name}");

    public static IResult NotFound(SandboxDirectory directory, string resourceGroupName, string name) =>
        ResourceGroupsApi.Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName) is null
            ? ArmError.ResourceGroupNotFound(resourceGroupName)
            : ArmError.ResourceNotFound(Type, name, resourceGroupName);

    private static JsonObject Represent(UserAssignedIdentity identity) => new()
    {
        ["id"] = identity.ResourceId,
        ["name"] = identity.Name,
        ["type"] = Type,
        ["location"] = identity.Location,
        ["tags"] = new JsonObject(),
        ["properties"] = new JsonObject
        {
            ["tenantId"] = identity.TenantId,
            ["principalId"] = identity.PrincipalId,
            ["clientId"] = identity.ClientId,
            ["isolationScope"] = "None",
        },
    };
}
