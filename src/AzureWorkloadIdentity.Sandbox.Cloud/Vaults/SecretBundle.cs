using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Vaults;

/// <summary>Key Vault's JSON for a secret version (with or without its value).</summary>
public static class SecretBundle
{
    public static JsonObject Of(Uri vaultUri, string name, SecretVersion version, bool includeValue)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(version);
        var created = version.Created.ToUnixTimeSeconds();
        var bundle = new JsonObject
        {
            ["id"] = new Uri(vaultUri, $"secrets/{name}/{version.Version}").ToString(),
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["created"] = created,
                ["updated"] = created,
                ["recoveryLevel"] = "Recoverable+Purgeable",
                ["recoverableDays"] = 90,
            },
            ["tags"] = new JsonObject([.. version.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        };
        if (includeValue)
        {
            bundle["value"] = version.Value;
        }

        if (version.ContentType is not null)
        {
            bundle["contentType"] = version.ContentType;
        }

        return bundle;
    }
}
