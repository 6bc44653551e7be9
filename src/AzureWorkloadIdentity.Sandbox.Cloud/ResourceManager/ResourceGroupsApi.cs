using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Resource groups: PUT (create or update), GET, list, DELETE (with everything in them).</summary>
internal static class ResourceGroupsApi
{
    public static async Task<IResult> PutAsync(HttpRequest request, SandboxDirectory directory, string resourceGroupName)
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

        if (!ArmNames.IsValidResourceGroupName(resourceGroupName))
        {
            return ArmError.BadRequest(
                "ResourceGroupNameInvalid",
                $"Resource group name '{resourceGroupName}' is invalid: use 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.");
        }

        var group = new ResourceGroup(directory.SubscriptionId, resourceGroupName, body.Location);
        var (saved, created) = directory.Update(state =>
        {
            if (state.ResourceGroups.TryGetValue(group.Id, out var existing))
            {
                // The location of a resource group cannot change; ARM keeps the name's original casing.
                return (state, (existing, false));
            }

            return (state with { ResourceGroups = state.ResourceGroups.With(group.Id, group) }, (group, true));
        });
        if (!created && !string.Equals(saved.Location, body.Location, StringComparison.OrdinalIgnoreCase))
        {
            return ArmError.BadRequest(
                "InvalidResourceGroupLocation",
                $"Invalid resource group location '{body.Location}'. The Resource group already exists in location '{saved.Location}'.");
        }

        return ArmJson.Result(Represent(saved), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Get(SandboxDirectory directory, string resourceGroupName) =>
        Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName) is { } group
            ? ArmJson.Result(Represent(group))
            : ArmError.ResourceGroupNotFound(resourceGroupName);

    public static IResult List(SandboxDirectory directory) =>
        ArmJson.List(directory.Snapshot.ResourceGroups.Values.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(Represent));

    /// <summary>Deletes the group and, as ARM does, the identities, vaults and role assignments inside it.</summary>
    public static IResult Delete(SandboxDirectory directory, string resourceGroupName)
    {
        var deleted = directory.Update(state =>
        {
            if (Find(state, directory.SubscriptionId, resourceGroupName) is not { } group)
            {
                return (state, false);
            }

            bool Outside(string id) => !ArmScope.IsWithin(id, group.Id);
            return (state with
            {
                ResourceGroups = state.ResourceGroups.Without(group.Id),
                Identities = state.Identities.Keep(i => Outside(i.ResourceId)),
                Vaults = state.Vaults.Keep(v => Outside(v.ResourceId)),
                RoleAssignments = state.RoleAssignments.Keep(a => Outside(a.Scope)),
            }, true);
        });
        return deleted ? Results.Ok() : ArmError.ResourceGroupNotFound(resourceGroupName);
    }

    internal static ResourceGroup? Find(SandboxDirectory.State state, string subscriptionId, string resourceGroupName) =>
        state.ResourceGroups.GetValueOrDefault($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}");

    private static JsonObject Represent(ResourceGroup group) => new()
    {
        ["id"] = group.Id,
        ["name"] = group.Name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = group.Location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };
}
