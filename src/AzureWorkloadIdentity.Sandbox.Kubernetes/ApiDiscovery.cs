using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// <c>/version</c>, <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c>
/// and the health endpoints: enough for <c>kubectl get --raw</c> and for clients that discover resources.
/// </summary>
internal sealed class ApiDiscovery(ResourceCatalog catalog, Version kubernetesVersion)
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private IEnumerable<ResourceType> Served => catalog.All.Concat(ReviewEndpoint.Types);

    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        var segments = (context.Request.Path.Value ?? "/").Trim('/').Split('/');
        JsonNode? answer = segments switch
        {
            ["version"] => Version(),
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
                {
                    ["clientCIDR"] = "0.0.0.0/0",
                    ["serverAddress"] = context.Request.Host.Value,
                }),
            },
            ["api", "v1"] => ResourceList("", "v1"),
            ["apis"] => GroupList(),
            ["apis", var group] => Groups().FirstOrDefault(g => g["name"]?.GetValue<string>() == group) is { } found
                ? WithKind(found, "APIGroup")
                : null,
            ["apis", var group, var version] when Served.Any(t => t.Group == group && t.Version == version) =>
                ResourceList(group, version),
            ["healthz"] or ["livez"] or ["readyz"] => null,
            _ => null,
        };

        if (segments is ["healthz"] or ["livez"] or ["readyz"])
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return true;
        }

        if (answer is null)
        {
            return false;
        }

        await ApiResponses.WriteJsonAsync(context, 200, answer);
        return true;
    }

    private JsonObject Version() => new()
    {
        ["major"] = kubernetesVersion.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["minor"] = kubernetesVersion.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["gitVersion"] = $"v{kubernetesVersion.Major}.{kubernetesVersion.Minor}.0-sandbox",
        ["gitCommit"] = "sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "none",
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };

    private JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in Served.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.SingularName,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(ReviewEndpoint.Types.Contains(type) ? ["create"] : Verbs),
            };
            if (DiscoveryFacts.ShortNames(type) is { Length: > 0 } shortNames)
            {
                resource["shortNames"] = Strings(shortNames);
            }

            if (DiscoveryFacts.Categories(type) is { Length: > 0 } categories)
            {
                resource["categories"] = Strings(categories);
            }

            resources.Add(resource);
            if (type == ResourceCatalog.ServiceAccounts)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = "serviceaccounts/token",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["group"] = "authentication.k8s.io",
                    ["version"] = "v1",
                    ["kind"] = "TokenRequest",
                    ["verbs"] = new JsonArray("create"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups()]),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private IEnumerable<JsonObject> Groups() =>
        Served
            .Where(t => t.Group.Length > 0)
            .GroupBy(t => t.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var versions = g.Select(t => t.Version).Distinct().Order(StringComparer.Ordinal).ToList();
                JsonObject VersionEntry(string v) => new() { ["groupVersion"] = g.Key + "/" + v, ["version"] = v };
                return new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)VersionEntry(v))]),
                    ["preferredVersion"] = VersionEntry(versions[0]),
                };
            });

    private static JsonObject WithKind(JsonObject group, string kind)
    {
        group["kind"] = kind;
        group["apiVersion"] = "v1";
        return group;
    }
}
