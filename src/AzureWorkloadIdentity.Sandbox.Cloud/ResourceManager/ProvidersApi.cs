using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>
/// <c>/subscriptions/{id}/providers[/{namespace}]</c>: the resource types the sandbox serves with their api-versions.
/// Azure.ResourceManager's generic resources take <c>apiVersions[0]</c> of the matching type, so the first version
/// listed is the stable one each type is documented with.
/// </summary>
internal static class ProvidersApi
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Catalog =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.ManagedIdentity"] = new Dictionary<string, string[]>
            {
                ["userAssignedIdentities"] = ["2023-01-31", "2024-11-30", "2018-11-30"],
                ["userAssignedIdentities/federatedIdentityCredentials"] = ["2023-01-31", "2024-11-30", "2022-01-31-preview"],
            },
            ["Microsoft.KeyVault"] = new Dictionary<string, string[]>
            {
                ["vaults"] = ["2023-07-01", "2022-07-01", "2019-09-01"],
                ["vaults/accessPolicies"] = ["2023-07-01", "2022-07-01", "2019-09-01"],
            },
            ["Microsoft.Authorization"] = new Dictionary<string, string[]>
            {
                ["roleAssignments"] = ["2022-04-01", "2020-04-01-preview", "2018-01-01-preview", "2015-07-01"],
                ["roleDefinitions"] = ["2022-04-01", "2018-01-01-preview", "2015-07-01"],
            },
            ["Microsoft.Resources"] = new Dictionary<string, string[]>
            {
                ["resourceGroups"] = ["2022-09-01", "2021-04-01"],
            },
        };

    public static IResult Get(SandboxDirectory directory, string providerNamespace) =>
        Catalog.ContainsKey(providerNamespace)
            ? ArmJson.Result(Represent(directory, providerNamespace))
            : ArmError.Create(
                StatusCodes.Status404NotFound,
                "InvalidResourceNamespace",
                $"The resource namespace '{providerNamespace}' is invalid. The sandbox serves {string.Join(", ", Catalog.Keys)}.");

    public static IResult List(SandboxDirectory directory) =>
        ArmJson.List(Catalog.Keys.Select(ns => Represent(directory, ns)));

    private static JsonObject Represent(SandboxDirectory directory, string providerNamespace)
    {
        var (name, types) = Catalog.First(p => string.Equals(p.Key, providerNamespace, StringComparison.OrdinalIgnoreCase));
        var resourceTypes = new JsonArray();
        foreach (var (type, versions) in types)
        {
            resourceTypes.Add(new JsonObject
            {
                ["resourceType"] = type,
                ["locations"] = ArmJson.Strings(["West US", "East US", "West Europe"]),
                ["apiVersions"] = ArmJson.Strings(versions),
                ["defaultApiVersion"] = versions[0],
                ["capabilities"] = "None",
            });
        }

        return new JsonObject
        {
            ["id"] = $"/subscriptions/{directory.SubscriptionId}/providers/{name}",
            ["namespace"] = name,
            ["registrationState"] = "Registered",
            ["registrationPolicy"] = "RegistrationRequired",
            ["resourceTypes"] = resourceTypes,
        };
    }
}
