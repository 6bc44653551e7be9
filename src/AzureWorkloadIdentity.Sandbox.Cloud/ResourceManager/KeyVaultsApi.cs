using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>
/// <c>Microsoft.KeyVault/vaults</c> (control plane): PUT, GET, list in a group, DELETE, and the
/// <c>accessPolicies/{add|replace|remove}</c> operation <c>az keyvault set-policy</c> uses. Vault names are global,
/// as in Azure. The data plane (secrets) is the sandbox's Key Vault, which reads the same directory.
/// </summary>
internal static class KeyVaultsApi
{
    public const string Type = "Microsoft.KeyVault/vaults";

    public static async Task<IResult> PutAsync(HttpRequest request, SandboxDirectory directory, ResourceManagerOptions options, string resourceGroupName, string name)
    {
        var (body, error) = await ArmJson.ReadAsync(request, ArmJsonContext.Default.VaultRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.Location))
        {
            return ArmError.LocationRequired();
        }

        if (!ArmNames.IsValidVaultName(name))
        {
            return ArmError.BadRequest(
                "VaultNameNotValid",
                $"The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.");
        }

        if (body.Properties?.TenantId is not { Length: > 0 } tenantId)
        {
            return ArmError.BadRequest("BadRequest", "The property 'properties.tenantId' is required: the Entra ID tenant that authenticates requests to the vault.");
        }

        if (!string.Equals(tenantId, directory.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return ArmError.BadRequest(
                "BadRequest",
                $"The tenant '{tenantId}' is not the tenant of this subscription; use '{directory.TenantId}' as properties.tenantId.");
        }

        if (AccessPolicies.Validate(body.Properties.AccessPolicies ?? [], directory.TenantId) is { } invalid)
        {
            return invalid;
        }

        var result = directory.Update<(KeyVault? Vault, bool Created, IResult? Error)>(state =>
        {
            if (ResourceGroupsApi.Find(state, directory.SubscriptionId, resourceGroupName) is not { } group)
            {
                return (state, (null, false, ArmError.ResourceGroupNotFound(resourceGroupName)));
            }

            var id = $"{group.Id}/providers/{Type}/{name}";
            if (state.Vaults.TryGetValue(name, out var existing) && !string.Equals(existing.ResourceId, id, StringComparison.OrdinalIgnoreCase))
            {
                return (state, (null, false, ArmError.Create(
                    StatusCodes.Status409Conflict, "VaultAlreadyExists", $"The vault name '{name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.")));
            }

            var policies = body.Properties.AccessPolicies is { } requested
                ? AccessPolicies.Apply(new Dictionary<string, IReadOnlyList<string>>(), requested, AccessPolicies.Operation.Add)
                : existing?.AccessPolicies ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
            var vault = existing is null
                ? new KeyVault(tenantId, directory.SubscriptionId, group.Name, name, id,
                    new Dictionary<string, IReadOnlyList<SecretVersion>>(StringComparer.Ordinal), policies)
                : existing with { TenantId = tenantId, AccessPolicies = policies };
            return (state with { Vaults = state.Vaults.With(name, vault) }, (vault, existing is null, null));
        });
        return result.Error ?? ArmJson.Result(
            Represent(directory, options, result.Vault!), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Get(SandboxDirectory directory, ResourceManagerOptions options, string resourceGroupName, string name) =>
        Find(directory, resourceGroupName, name) is { } vault
            ? ArmJson.Result(Represent(directory, options, vault))
            : NotFound(directory.Snapshot, directory.SubscriptionId, resourceGroupName, name);

    public static IResult List(SandboxDirectory directory, ResourceManagerOptions options, string resourceGroupName)
    {
        var state = directory.Snapshot;
        if (ResourceGroupsApi.Find(state, directory.SubscriptionId, resourceGroupName) is not { } group)
        {
            return ArmError.ResourceGroupNotFound(resourceGroupName);
        }

        return ArmJson.List(state.Vaults.Values
            .Where(v => ArmScope.IsWithin(v.ResourceId, group.Id))
            .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
            .Select(v => Represent(directory, options, v)));
    }

    /// <summary>Deletes the vault with its secrets (the sandbox has no soft delete); 204 when there was none.</summary>
    public static IResult Delete(SandboxDirectory directory, string resourceGroupName, string name)
    {
        var deleted = directory.Update(state => Find(state, directory.SubscriptionId, resourceGroupName, name) is not null
            ? (state with { Vaults = state.Vaults.Without(name) }, true)
            : (state, false));
        return deleted ? Results.Ok() : Results.NoContent();
    }

    public static async Task<IResult> UpdateAccessPoliciesAsync(
        HttpRequest request, SandboxDirectory directory, string resourceGroupName, string name, string operationKind)
    {
        if (!Enum.TryParse<AccessPolicies.Operation>(operationKind, ignoreCase: true, out var operation))
        {
            return ArmError.BadRequest(
                "BadRequest", $"The access policy operation '{operationKind}' is invalid; use add, replace or remove.");
        }

        var (body, error) = await ArmJson.ReadAsync(request, ArmJsonContext.Default.AccessPolicyUpdateRequest);
        if (error is not null)
        {
            return error;
        }

        var entries = body!.Properties?.AccessPolicies ?? [];
        if (AccessPolicies.Validate(entries, directory.TenantId) is { } invalid)
        {
            return invalid;
        }

        var result = directory.Update<(KeyVault? Vault, IResult? Error)>(state =>
        {
            if (Find(state, directory.SubscriptionId, resourceGroupName, name) is not { } vault)
            {
                return (state, (null, NotFound(state, directory.SubscriptionId, resourceGroupName, name)));
            }

            var updated = vault with { AccessPolicies = AccessPolicies.Apply(vault.AccessPolicies, entries, operation) };
            return (state with { Vaults = state.Vaults.With(vault.Name, updated) }, (updated, null));
        });
        if (result.Error is not null)
        {
            return result.Error;
        }

        var vault = result.Vault!;
        return ArmJson.Result(new JsonObject
        {
            ["id"] = $"{vault.ResourceId}/accessPolicies/{operation.ToString().ToLowerInvariant()}",
            ["name"] = operation.ToString().ToLowerInvariant(),
            ["type"] = "Microsoft.KeyVault/vaults/accessPolicies",
            ["location"] = LocationOf(directory, vault),
            ["properties"] = new JsonObject { ["accessPolicies"] = AccessPolicies.Represent(vault) },
        });
    }

    private static KeyVault? Find(SandboxDirectory directory, string resourceGroupName, string name) =>
        Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName, name);

    private static KeyVault? Find(SandboxDirectory.State state, string subscriptionId, string resourceGroupName, string name) =>
        state.Vaults.TryGetValue(name, out var vault)
        && string.Equals(vault.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(vault.ResourceGroup, resourceGroupName, StringComparison.OrdinalIgnoreCase)
            ? vault
            : null;

    private static IResult NotFound(SandboxDirectory.State state, string subscriptionId, string resourceGroupName, string name) =>
        ResourceGroupsApi.Find(state, subscriptionId, resourceGroupName) is null
            ? ArmError.ResourceGroupNotFound(resourceGroupName)
            : ArmError.ResourceNotFound(Type, name, resourceGroupName);

    /// <summary>The directory keeps no location for vaults; they report their resource group's.</summary>
    private static string LocationOf(SandboxDirectory directory, KeyVault vault) =>
        ResourceGroupsApi.Find(directory.Snapshot, vault.SubscriptionId, vault.ResourceGroup)?.Location ?? "westus";

    private static JsonObject Represent(SandboxDirectory directory, ResourceManagerOptions options, KeyVault vault) => new()
    {
        ["id"] = vault.ResourceId,
        ["name"] = vault.Name,
        ["type"] = Type,
        ["location"] = LocationOf(directory, vault),
        ["tags"] = new JsonObject(),
        ["properties"] = new JsonObject
        {
            ["tenantId"] = vault.TenantId,
            ["sku"] = new JsonObject { ["family"] = "A", ["name"] = "standard" },
            ["accessPolicies"] = AccessPolicies.Represent(vault),
            ["vaultUri"] = options.VaultUri(vault.Name).ToString(),
            ["enableSoftDelete"] = false,
            ["enableRbacAuthorization"] = false,
            ["provisioningState"] = "Succeeded",
            ["publicNetworkAccess"] = "Enabled",
        },
    };
}
