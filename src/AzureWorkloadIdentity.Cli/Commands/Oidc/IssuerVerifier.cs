using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// Checks an issuer the way Entra ID uses it during a token exchange: the issuer URL, the TLS certificate, the
/// discovery document at <c>{issuer without one trailing slash}/.well-known/openid-configuration</c>, its
/// <c>issuer</c> byte for byte, its <c>jwks_uri</c>, every key, and that the expected keys (from files or the
/// cluster) are published and the cluster's token verifies. A check that cannot run because an earlier one failed
/// is left out.
/// </summary>
internal sealed class IssuerVerifier(HttpClient http, TimeSpan bound)
{
    /// <summary>Entra ID stores only the first 100 keys of a JWKS.</summary>
    public const int EntraKeyLimit = 100;

    private readonly List<IssuerCheck> _checks = [];

    public async Task<IReadOnlyList<IssuerCheck>> VerifyAsync(
        string issuer, IReadOnlyList<ExpectedKey> expectedKeys, ClusterIssuerFacts? cluster, CancellationToken overall)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(expectedKeys);
        _checks.Clear();
        if (!CheckUrl(issuer))
        {
            return [.. _checks];
        }

        var discoveryUri = new Uri(IssuerUrl.DiscoveryUri(issuer));
        var discovery = await DocumentFetch.GetAsync(http, discoveryUri, bound, overall).ConfigureAwait(false);
        if (discovery.TlsFailed)
        {
            return Done(IssuerCheck.Fail(CheckCodes.TlsUntrusted, discovery.Failure!));
        }

        if (!discovery.Answered)
        {
            return Done(IssuerCheck.Fail(CheckCodes.DiscoveryUnreachable, discovery.Failure!));
        }

        Add(IssuerCheck.Pass(CheckCodes.TlsTrusted, $"the TLS certificate of {discoveryUri.Authority} is trusted"));
        if (discovery.Body is null)
        {
            return Done(IssuerCheck.Fail(CheckCodes.DiscoveryUnreachable, discovery.Failure!));
        }

        Add(IssuerCheck.Pass(CheckCodes.DiscoveryReachable, $"{discoveryUri} answered 200"));
        var document = ParseObject(discovery.Body);
        if (document is null)
        {
            return Done(IssuerCheck.Fail(CheckCodes.DiscoveryInvalid, $"{discoveryUri} is not a JSON object; upload the output of 'azwi oidc discovery'"));
        }

        Add(IssuerCheck.Pass(CheckCodes.DiscoveryJson, $"{discoveryUri} is a JSON object"));
        CheckIssuer(issuer, document.Value);
        var keys = await CheckJwksAsync(document.Value, discoveryUri, overall).ConfigureAwait(false);
        if (keys is null)
        {
            return [.. _checks];
        }

        CheckExpectedKeys(keys, expectedKeys);
        if (cluster is not null)
        {
            await CheckClusterAsync(issuer, keys, cluster).ConfigureAwait(false);
        }

        return [.. _checks];
    }

    private bool CheckUrl(string issuer)
    {
        if (IssuerUrl.Problem(issuer) is { } problem)
        {
            var code = Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps
                ? CheckCodes.IssuerNotHttps
                : CheckCodes.IssuerUrlInvalid;
            Add(IssuerCheck.Fail(code, problem));
            return false;
        }

        Add(IssuerCheck.Pass(CheckCodes.IssuerUrlValid, $"'{issuer}' is an https URL without query or fragment"));
        return true;
    }

    private void CheckIssuer(string issuer, JsonElement document)
    {
        var published = document.TryGetProperty("issuer", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.Equals(published, issuer, StringComparison.Ordinal))
        {
            Add(IssuerCheck.Pass(CheckCodes.IssuerMatch, $"the discovery document's issuer is '{issuer}', byte for byte"));
        }
        else if (published is not null && string.Equals(published.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
        {
            Add(IssuerCheck.Fail(
                CheckCodes.IssuerTrailingSlash,
                $"the discovery document's issuer is '{published}' but the issuer URL is '{issuer}': only the trailing slash differs, and Entra ID compares byte for byte (AADSTS700211); use one form everywhere — --service-account-issuer, the document and the federated credentials"));
        }
        else
        {
            Add(IssuerCheck.Fail(
                CheckCodes.IssuerMismatch,
                published is null
                    ? "the discovery document has no string 'issuer'; regenerate it with 'azwi oidc discovery --issuer-url <url>'"
                    : $"the discovery document's issuer is '{published}' but the issuer URL is '{issuer}'; regenerate it with 'azwi oidc discovery --issuer-url {issuer}' and upload it"));
        }
    }

    private async Task<IReadOnlyList<SecurityKey>?> CheckJwksAsync(JsonElement document, Uri discoveryUri, CancellationToken overall)
    {
        var jwksValue = document.TryGetProperty("jwks_uri", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (jwksValue is null || !Uri.TryCreate(jwksValue, UriKind.Absolute, out var jwksUri) || jwksUri.Scheme != Uri.UriSchemeHttps)
        {
            Add(IssuerCheck.Fail(
                CheckCodes.JwksUnreachable,
                $"{discoveryUri} has {(jwksValue is null ? "no jwks_uri" : $"jwks_uri '{jwksValue}', which is not an https URL")}; regenerate it with 'azwi oidc discovery'"));
            return null;
        }

        var fetch = await DocumentFetch.GetAsync(http, jwksUri, bound, overall).ConfigureAwait(false);
        if (fetch.Body is null)
        {
            Add(IssuerCheck.Fail(CheckCodes.JwksUnreachable, fetch.Failure!));
            return null;
        }

        Add(IssuerCheck.Pass(CheckCodes.JwksReachable, $"{jwksUri} answered 200"));
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(fetch.Body);
        }
        catch (ArgumentException exception)
        {
            Add(IssuerCheck.Fail(CheckCodes.JwksInvalid, $"{jwksUri} is not a JSON Web Key Set ({exception.Message.ReplaceLineEndings(" ")}); upload the output of 'azwi jwks'"));
            return null;
        }

        var keys = set.GetSigningKeys();
        var resolved = keys.Select(k => k.KeyId).ToHashSet(StringComparer.Ordinal);
        var broken = set.Keys.Where(k => string.IsNullOrEmpty(k.Kid) || !resolved.Contains(k.Kid)).ToList();
        if (set.Keys.Count == 0)
        {
            Add(IssuerCheck.Fail(CheckCodes.JwksInvalid, $"{jwksUri} has no keys; upload the output of 'azwi jwks --public-keys <sa.pub>'"));
            return null;
        }

        if (broken.Count > 0)
        {
            var names = string.Join(", ", broken.Select(k => string.IsNullOrEmpty(k.Kid) ? "(no kid)" : k.Kid));
            Add(IssuerCheck.Fail(CheckCodes.JwksInvalid, $"{broken.Count} of {set.Keys.Count} keys in {jwksUri} are not usable RSA or EC signing keys with a kid: {names}; regenerate the JWKS with 'azwi jwks'"));
        }
        else
        {
            Add(IssuerCheck.Pass(CheckCodes.JwksValid, $"{set.Keys.Count} key(s) parse: {string.Join(", ", resolved)}"));
        }

        if (set.Keys.Count > EntraKeyLimit)
        {
            Add(IssuerCheck.Warn(CheckCodes.JwksTooManyKeys, $"{jwksUri} has {set.Keys.Count} keys; Entra ID uses only the first {EntraKeyLimit}: remove retired keys"));
        }

        return [.. keys];
    }

    private void CheckExpectedKeys(IReadOnlyList<SecurityKey> keys, IReadOnlyList<ExpectedKey> expected)
    {
        foreach (var key in expected)
        {
            Add(keys.Any(k => k.KeyId == key.KeyId)
                ? IssuerCheck.Pass(CheckCodes.KeyPublished, $"key {key.KeyId} ({key.Source}) is published")
                : IssuerCheck.Fail(
                    CheckCodes.KeyNotPublished,
                    $"key {key.KeyId} ({key.Source}) is not in the published JWKS; Entra ID refuses tokens it signs (AADSTS700027): regenerate the JWKS with every public key ('azwi jwks --public-keys …') and upload it"));
        }
    }

    private async Task CheckClusterAsync(string issuer, IReadOnlyList<SecurityKey> keys, ClusterIssuerFacts cluster)
    {
        if (cluster.Error is not null && cluster.KeyIds.Count == 0)
        {
            Add(IssuerCheck.Fail(CheckCodes.ClusterUnreachable, cluster.Error));
            return;
        }

        Add(IssuerCheck.Pass(CheckCodes.ClusterReachable, $"the cluster publishes {cluster.KeyIds.Count} verification key(s) at /openid/v1/jwks"));
        CheckExpectedKeys(keys, [.. cluster.KeyIds.Select(k => new ExpectedKey(k, "the cluster's --service-account-key-file"))]);
        if (cluster.Token is null)
        {
            Add(IssuerCheck.Fail(CheckCodes.ClusterUnreachable, cluster.Error ?? "the cluster returned no token"));
            return;
        }

        var token = new JsonWebToken(cluster.Token);
        Add(string.Equals(token.Issuer, issuer, StringComparison.Ordinal)
            ? IssuerCheck.Pass(CheckCodes.TokenIssuerMatch, $"a service account token's iss is '{issuer}'")
            : IssuerCheck.Fail(
                CheckCodes.TokenIssuerMismatch,
                $"a service account token's iss is '{token.Issuer}' but the issuer URL is '{issuer}'; set kube-apiserver --service-account-issuer={issuer} (first occurrence) or verify the URL the cluster uses"));

        var signer = keys.FirstOrDefault(k => k.KeyId == token.Kid);
        var valid = signer is not null && await IsSignedByAsync(cluster.Token, signer).ConfigureAwait(false);
        Add(valid
            ? IssuerCheck.Pass(CheckCodes.TokenSignatureValid, $"a service account token signed with key {token.Kid} verifies against the published JWKS")
            : IssuerCheck.Fail(
                CheckCodes.TokenSignatureInvalid,
                signer is null
                    ? $"a service account token is signed with key {token.Kid}, which the published JWKS lacks; Entra ID refuses it (AADSTS700027): publish the key of --service-account-signing-key-file"
                    : $"a service account token's signature does not verify with published key {token.Kid}; the published key does not match the cluster's signing key: regenerate the JWKS from the cluster's public keys"));
    }

    private static async Task<bool> IsSignedByAsync(string token, SecurityKey key)
    {
        var handler = new JsonWebTokenHandler();
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            TryAllIssuerSigningKeys = false,
        }).ConfigureAwait(false);
        return result.IsValid;
    }

    private static JsonElement? ParseObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Add(IssuerCheck check) => _checks.Add(check);

    private IReadOnlyList<IssuerCheck> Done(IssuerCheck last)
    {
        Add(last);
        return [.. _checks];
    }
}
