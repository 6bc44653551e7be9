using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Where the API server sends a webhook's AdmissionReview: <c>clientConfig.url</c> as given, or for
/// <c>clientConfig.service</c> (name, namespace, port — default 443 —, path) the URL
/// <c>https://&lt;name&gt;.&lt;namespace&gt;.svc:&lt;port&gt;&lt;path&gt;</c> (the name the serving certificate is checked
/// for) connected to a ready address of the Service's Endpoints on the target port of that Service port, as
/// kube-apiserver's endpoint routing does.
/// </summary>
internal sealed record WebhookTarget(Uri Url, IPEndPoint? Endpoint)
{
    public static WebhookTarget Resolve(JsonObject clientConfig, ObjectStore store)
    {
        if (clientConfig["url"]?.GetValue<string>() is { Length: > 0 } url)
        {
            return new WebhookTarget(new Uri(url), null);
        }

        if (clientConfig["service"] is not JsonObject service)
        {
            throw new InvalidOperationException("the webhook's clientConfig has neither url nor service");
        }

        var name = service["name"]?.GetValue<string>() ?? string.Empty;
        var ns = service["namespace"]?.GetValue<string>() ?? string.Empty;
        var port = service["port"]?.GetValue<int>() ?? 443;
        var path = service["path"]?.GetValue<string>() ?? "/";
        var target = new Uri($"https://{name}.{ns}.svc:{port.ToString(CultureInfo.InvariantCulture)}{path}");
        StoredObject stored;
        try
        {
            stored = store.Get(ClusterServices.Services, ns, name);
        }
        catch (KubernetesApiException e) when (e.Code == 404)
        {
            throw new InvalidOperationException($"failed to call webhook: Post \"{target}\": service \"{ns}/{name}\" not found");
        }

        var servicePort = (stored.ToJsonObject()["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(p => p["port"]?.GetValue<int>() == port)
            ?? throw new InvalidOperationException($"failed to call webhook: Post \"{target}\": service \"{ns}/{name}\" has no port {port}");
        var portName = servicePort["name"]?.GetValue<string>() ?? string.Empty;
        var candidates = new List<IPEndPoint>();
        try
        {
            var endpoints = store.Get(ClusterServices.Endpoints, ns, name).ToJsonObject();
            foreach (var subset in (endpoints["subsets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var endpointPort = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>()
                    .FirstOrDefault(p => (p["name"]?.GetValue<string>() ?? string.Empty) == portName);
                if (endpointPort?["port"]?.GetValue<int>() is not { } number)
                {
                    continue;
                }

                candidates.AddRange((subset["addresses"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(a => IPAddress.TryParse(a["ip"]?.GetValue<string>(), out var ip) ? new IPEndPoint(ip, number) : null)
                    .OfType<IPEndPoint>());
            }
        }
        catch (KubernetesApiException e) when (e.Code == 404)
        {
        }

        return candidates.Count == 0
            ? throw new InvalidOperationException($"failed to call webhook: Post \"{target}\": no endpoints available for service \"{name}\"")
            : new WebhookTarget(target, candidates[Random.Shared.Next(candidates.Count)]);
    }
}
