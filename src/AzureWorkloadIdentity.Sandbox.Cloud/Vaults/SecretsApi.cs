using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Vaults;

/// <summary>
/// One vault's data plane: secrets set, get (latest or a version), list, list versions and delete, behind Key
/// Vault's challenge flow (401 + <c>WWW-Authenticate</c> naming the tenant and resource) and authorization.
/// Any api-version is accepted and a trailing slash ignored, as the .NET and JS SDKs differ there.
/// </summary>
internal sealed class SecretsApi(string vaultName, SandboxDirectory directory, IAccessTokenValidator tokens, Uri authorityHost)
{
    public const string Resource = "https://vault.azure.net";

    public void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Key Vault ignores a trailing slash on secret paths (the JS SDK sends one).
            var path = context.Request.Path.Value;
            if (path is { Length: > 1 } && path.EndsWith('/'))
            {
                context.Request.Path = path.TrimEnd('/');
            }

            await next(context);
        });
        app.MapPut("/secrets/{name}", SetAsync);
        app.MapGet("/secrets/{name}/versions", (HttpContext context, string name) => Guarded(context, SecretPermission.List, (vault, uri) => ListVersions(vault, uri, name)));
        app.MapGet("/secrets/{name}/{version}", (HttpContext context, string name, string version) => Guarded(context, SecretPermission.Get, (vault, uri) => Get(vault, uri, name, version)));
        app.MapGet("/secrets/{name}", (HttpContext context, string name) => Guarded(context, SecretPermission.Get, (vault, uri) => Get(vault, uri, name, null)));
        app.MapGet("/secrets", (HttpContext context) => Guarded(context, SecretPermission.List, List));
        app.MapDelete("/secrets/{name}", (HttpContext context, string name) => Guarded(context, SecretPermission.Delete, (_, uri) => Delete(uri, name)));
    }

    private async Task<IResult> SetAsync(HttpContext context, string name)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        return Guarded(context, SecretPermission.Set, (vault, vaultUri) =>
        {
            if (body?["value"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                return Error(400, "BadParameter", "The request body must be a JSON object with a string 'value'.");
            }

            var tags = (body["tags"] as JsonObject)?.ToDictionary(t => t.Key, t => t.Value?.ToString() ?? string.Empty)
                ?? new Dictionary<string, string>();
            var version = new SecretVersion(
                Guid.NewGuid().ToString("N"), value.GetValue<string>(), body["contentType"]?.GetValue<string>(), directory.Time.GetUtcNow(), tags);
            directory.Update(state =>
            {
                var current = state.Vaults[vaultName];
                var versions = current.Secrets.TryGetValue(name, out var existing) ? [.. existing, version] : new List<SecretVersion> { version };
                var secrets = new Dictionary<string, IReadOnlyList<SecretVersion>>(current.Secrets, StringComparer.OrdinalIgnoreCase) { [name] = versions };
                return (state with { Vaults = state.Vaults.With(vaultName, current with { Secrets = secrets }) }, true);
            });
            return Results.Json(SecretBundle.Of(vaultUri, name, version, includeValue: true));
        });
    }

    private static IResult Get(KeyVault vault, Uri vaultUri, string name, string? version)
    {
        if (!vault.Secrets.TryGetValue(name, out var versions) || versions.Count == 0)
        {
            return SecretNotFound(name);
        }

        var found = version is null ? versions[^1] : versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        return found is null ? SecretNotFound($"{name}/{version}") : Results.Json(SecretBundle.Of(vaultUri, name, found, includeValue: true));
    }

    private static IResult ListVersions(KeyVault vault, Uri vaultUri, string name) =>
        !vault.Secrets.TryGetValue(name, out var versions)
            ? SecretNotFound(name)
            : Page(versions.Select(v => SecretBundle.Of(vaultUri, name, v, includeValue: false)));

    private static IResult List(KeyVault vault, Uri vaultUri) =>
        Page(vault.Secrets.Where(s => s.Value.Count > 0).Select(s =>
        {
            var bundle = SecretBundle.Of(vaultUri, s.Key, s.Value[^1], includeValue: false);
            bundle["id"] = new Uri(vaultUri, $"secrets/{s.Key}").ToString();
            return bundle;
        }));

    private IResult Delete(Uri vaultUri, string name)
    {
        var removed = directory.Update(state =>
        {
            var current = state.Vaults[vaultName];
            if (!current.Secrets.TryGetValue(name, out var versions))
            {
                return (state, (SecretVersion?)null);
            }

            var secrets = new Dictionary<string, IReadOnlyList<SecretVersion>>(current.Secrets, StringComparer.OrdinalIgnoreCase);
            secrets.Remove(name);
            return (state with { Vaults = state.Vaults.With(vaultName, current with { Secrets = secrets }) }, versions[^1]);
        });
        return removed is null ? SecretNotFound(name) : Results.Json(SecretBundle.Of(vaultUri, name, removed, includeValue: false));
    }

    /// <summary>Runs <paramref name="action"/> when the caller's token is valid and allowed; the challenge or 403 otherwise.</summary>
    private IResult Guarded(HttpContext context, SecretPermission permission, Func<KeyVault, Uri, IResult> action)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Challenge(context, "AKV10000: Request is missing a Bearer or PoP token.");
        }

        var validation = tokens.Validate(header, [Resource, Resource + "/"]);
        if (!validation.IsValid)
        {
            return Challenge(context, $"AKV10022: Invalid audience, issuer or token: {validation.Error}");
        }

        var state = directory.Snapshot;
        if (!state.Vaults.TryGetValue(vaultName, out var vault))
        {
            return Error(404, "VaultNotFound", $"The vault '{vaultName}' was deleted; create it again with Resource Manager.");
        }

        if (!VaultAuthorization.IsAllowed(state, vault, validation.ObjectId ?? string.Empty, permission))
        {
            return Results.Json(
                new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["code"] = "Forbidden",
                        ["message"] =
                            $"The user, group or application 'appid={validation.AppId};oid={validation.ObjectId};iss=https://sts.windows.net/{validation.TenantId}/' " +
                            $"does not have secrets {permission.PolicyName} permission on key vault '{vaultName}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                        ["innererror"] = new JsonObject { ["code"] = "ForbiddenByPolicy" },
                    },
                },
                statusCode: 403);
        }

        // The vault's URI is its own origin (one loopback port per vault).
        return action(vault, new Uri($"https://{context.Request.Host}/"));
    }

    private IResult Challenge(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer authorization=\"{new Uri(authorityHost, directory.TenantId)}\", resource=\"{Resource}\"";
        return Error(401, "Unauthorized", message);
    }

    private static IResult SecretNotFound(string name) => Error(404, "SecretNotFound",
        $"A secret with (name/id) {name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private static IResult Page(IEnumerable<JsonObject> items) =>
        Results.Json(new JsonObject { ["value"] = new JsonArray([.. items]), ["nextLink"] = null });

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);
}
