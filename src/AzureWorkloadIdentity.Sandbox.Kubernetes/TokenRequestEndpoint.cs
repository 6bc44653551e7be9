using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The TokenRequest API (<c>POST .../serviceaccounts/{name}/token</c>) and the API server's issuer discovery
/// (<c>/.well-known/openid-configuration</c>, <c>/openid/v1/jwks</c>), both backed by
/// <see cref="IServiceAccountTokenSigner"/>.
/// </summary>
internal sealed class TokenRequestEndpoint(ObjectStore store, IServiceAccountTokenSigner? signer, IReadOnlyList<string> apiAudiences, TimeProvider time)
{
    private const int MinimumExpirationSeconds = 600;
    private const int DefaultExpirationSeconds = 3600;

    public async Task<bool> TryHandleDiscoveryAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (signer is null || !HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        if (path == "/.well-known/openid-configuration")
        {
            var jwksUri = new UriBuilder(context.Request.Scheme, context.Request.Host.Host, context.Request.Host.Port ?? 443, "/openid/v1/jwks").Uri;
            await ApiResponses.WriteJsonAsync(context, 200, new JsonObject
            {
                ["issuer"] = signer.Issuer.OriginalString, // byte for byte: a trailing slash matters to Entra ID
                ["jwks_uri"] = jwksUri.ToString(),
                ["response_types_supported"] = new JsonArray("id_token"),
                ["subject_types_supported"] = new JsonArray("public"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            });
            return true;
        }

        if (path == "/openid/v1/jwks")
        {
            await ApiResponses.WriteJsonAsync(context, 200, signer.GetJwks(), "application/jwk-set+json");
            return true;
        }

        return false;
    }

    public async Task HandleTokenRequestAsync(HttpContext context, ResourcePath path)
    {
        if (signer is null)
        {
            throw new KubernetesApiException(503, "ServiceUnavailable",
                "this sandbox API server has no service-account token signer; start it with KubernetesApiServerOptions.TokenSigner set");
        }

        var request = await ApiResponses.ReadObjectAsync(context);
        var account = store.Get(ResourceCatalog.ServiceAccounts, path.Namespace, path.Name!);
        var spec = request["spec"] as JsonObject ?? [];
        var audiences = spec["audiences"] is JsonArray list && list.Count > 0
            ? list.Select(a => a?.GetValue<string>() ?? string.Empty).ToList()
            : [.. apiAudiences];
        var seconds = spec["expirationSeconds"]?.GetValue<long>() ?? DefaultExpirationSeconds;
        if (seconds < MinimumExpirationSeconds)
        {
            throw KubernetesApiException.Invalid(
                new ResourceType("authentication.k8s.io", "v1", "tokenrequests", "TokenRequest", true), path.Name!,
                "spec.expirationSeconds: Invalid value: may not specify a duration less than 10 minutes");
        }

        string? podName = null;
        string? podUid = null;
        if (spec["boundObjectRef"] is JsonObject bound)
        {
            var kind = bound["kind"]?.GetValue<string>();
            if (kind != "Pod")
            {
                throw KubernetesApiException.BadRequest($"cannot bind token to object of kind \"{kind}\": this sandbox binds tokens to pods only");
            }

            podName = bound["name"]?.GetValue<string>() ?? string.Empty;
            var pod = store.Get(ResourceCatalog.Pods, path.Namespace, podName);
            podUid = pod.Uid;
            var requestedUid = bound["uid"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(requestedUid) && requestedUid != podUid)
            {
                throw new KubernetesApiException(409, "Conflict",
                    $"the UID in the bound object reference ({requestedUid}) does not match the UID in record ({podUid}); the object might have been deleted and recreated");
            }
        }

        var now = time.GetUtcNow();
        var expires = now.AddSeconds(seconds);
        var token = signer.Sign(new ServiceAccountTokenClaims(
            account.Name.Namespace, account.Name.Name, account.Uid, audiences, now, expires, podName, podUid));

        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]);
        spec["expirationSeconds"] = seconds;
        await ApiResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = account.Name.Name,
                ["namespace"] = account.Name.Namespace,
                ["creationTimestamp"] = Timestamp(now),
            },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = Timestamp(expires),
            },
        });
    }

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
