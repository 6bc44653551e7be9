using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Key Vault access policies as the directory keeps them: principal object id → secret permissions.</summary>
internal static class AccessPolicies
{
    internal enum Operation
    {
        Add,
        Replace,
        Remove,
    }

    private static readonly HashSet<string> SecretPermissions = new(StringComparer.OrdinalIgnoreCase)
    {
        "all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge",
    };

    public static IResult? Validate(IReadOnlyList<AccessPolicyEntry> entries, string tenantId)
    {
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.ObjectId) || !Guid.TryParse(entry.ObjectId, out _))
            {
                return ArmError.BadRequest("BadRequest", $"An access policy's objectId must be the object id (a GUID) of a principal; got '{entry.ObjectId}'.");
            }

            if (entry.TenantId is { Length: > 0 } tenant && !string.Equals(tenant, tenantId, StringComparison.OrdinalIgnoreCase))
            {
                return ArmError.BadRequest("BadRequest", $"The access policy for '{entry.ObjectId}' names tenant '{tenant}'; use the vault's tenant '{tenantId}'.");
            }

            if (entry.Permissions?.Secrets?.FirstOrDefault(p => !SecretPermissions.Contains(p)) is { } unknown)
            {
                return ArmError.BadRequest(
                    "BadRequest", $"Invalid secret permission '{unknown}'; valid permissions are {string.Join(", ", SecretPermissions)}.");
            }
        }

        return null;
    }

    /// <summary>Add unions permissions, replace sets them, remove takes the listed ones away (and drops empty entries).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Apply(
        IReadOnlyDictionary<string, IReadOnlyList<string>> current, IReadOnlyList<AccessPolicyEntry> entries, Operation operation)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(current, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var objectId = entry.ObjectId!;
            var requested = (entry.Permissions?.Secrets ?? []).Select(p => p.ToLowerInvariant()).ToList();
            var existing = result.GetValueOrDefault(objectId) ?? [];
            IReadOnlyList<string> next = operation switch
            {
                Operation.Add => [.. existing.Union(requested, StringComparer.OrdinalIgnoreCase)],
                Operation.Replace => [.. requested.Distinct(StringComparer.OrdinalIgnoreCase)],
                _ => [.. existing.Except(requested, StringComparer.OrdinalIgnoreCase)],
            };
            if (operation == Operation.Remove && next.Count == 0)
            {
                result.Remove(objectId);
            }
            else
            {
                result[objectId] = next;
            }
        }

        return result;
    }

    public static JsonArray Represent(KeyVault vault) => new([.. vault.AccessPolicies
        .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
        .Select(p => (JsonNode?)new JsonObject
        {
            ["tenantId"] = vault.TenantId,
            ["objectId"] = p.Key,
            ["permissions"] = new JsonObject
            {
                ["keys"] = new JsonArray(),
                ["secrets"] = ArmJson.Strings(p.Value),
                ["certificates"] = new JsonArray(),
                ["storage"] = new JsonArray(),
            },
        })]);
}
