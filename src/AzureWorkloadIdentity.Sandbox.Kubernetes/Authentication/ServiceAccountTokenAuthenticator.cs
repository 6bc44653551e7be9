using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

/// <summary>
/// Authenticates service-account tokens as kube-apiserver does: signed by a key of the issuer's key set, the issuer
/// byte for byte, within its lifetime, for one of the API server's audiences, and naming a service account (and a bound
/// pod or secret) that still exists with the token's uid. A validated token is cached by its hash for ten seconds (as
/// kube-apiserver caches successful token authentications), so repeated requests skip the signature check; whether
/// the service account and bound objects still exist is asked on every request (a dictionary look-up).
/// </summary>
internal sealed class ServiceAccountTokenAuthenticator(ObjectStore store, IServiceAccountTokenSigner signer, IReadOnlyList<string> audiences, TimeProvider time)
{
    private const int CacheLimit = 10_000;
    private const string ExtraPrefix = "authentication.kubernetes.io/";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, ValidatedToken> _cache = new(StringComparer.Ordinal);

    public async ValueTask<UserInfo?> AuthenticateAsync(string token)
    {
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(key, out var validated) || now >= validated.RevalidateAt)
        {
            validated = await ValidateAsync(token, now);
            if (validated is null)
            {
                _cache.TryRemove(key, out _);
                return null;
            }

            if (_cache.Count >= CacheLimit)
            {
                _cache.Clear();
            }

            _cache[key] = validated;
        }

        return now < validated.Expires && validated.StillBound(store) ? validated.User : null;
    }

    private async Task<ValidatedToken?> ValidateAsync(string token, DateTimeOffset now)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = signer.Issuer.OriginalString,
            ValidAudiences = audiences,
            IssuerSigningKeys = new JsonWebKeySet(signer.GetJwks().ToJsonString()).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,

            // On the server's clock (tests move it), with no skew: a token is good from nbf up to exp.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } end && now < end && (notBefore is not { } start || start <= now);
            },
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        JsonNode? claims;
        try
        {
            claims = JsonNode.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload))?["kubernetes.io"];
        }
        catch (JsonException)
        {
            return null;
        }

        var ns = Text(claims?["namespace"]);
        var account = claims?["serviceaccount"];
        var name = Text(account?["name"]);
        var uid = Text(account?["uid"]);
        if (ns is null || name is null || uid is null || jwt.Subject != UserInfo.ServiceAccountName(ns, name))
        {
            return null;
        }

        var pod = Bound(claims?["pod"]);
        var secret = Bound(claims?["secret"]);
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (pod is not null)
        {
            extra[ExtraPrefix + "pod-name"] = [pod.Value.Name];
            extra[ExtraPrefix + "pod-uid"] = [pod.Value.Uid];
        }

        if (!string.IsNullOrEmpty(jwt.Id))
        {
            extra[ExtraPrefix + "credential-id"] = ["JTI=" + jwt.Id];
        }

        var validated = new ValidatedToken(
            UserInfo.ServiceAccount(ns, name, uid, extra), ns, name, uid, pod, secret, jwt.ValidTo, Min(now + CacheFor, jwt.ValidTo));
        return validated.StillBound(store) ? validated : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a < b ? a : new DateTimeOffset(b, TimeSpan.Zero);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static (string Name, string Uid)? Bound(JsonNode? reference) =>
        Text(reference?["name"]) is { } name && Text(reference?["uid"]) is { } uid ? (name, uid) : null;

    private sealed record ValidatedToken(
        UserInfo User, string Namespace, string Name, string Uid, (string Name, string Uid)? Pod, (string Name, string Uid)? Secret,
        DateTimeOffset Expires, DateTimeOffset RevalidateAt)
    {
        public bool StillBound(ObjectStore store) =>
            Exists(store, ResourceCatalog.ServiceAccounts, Name, Uid) &&
            (Pod is not { } pod || Exists(store, ResourceCatalog.Pods, pod.Name, pod.Uid)) &&
            (Secret is not { } secret || Exists(store, ResourceCatalog.Secrets, secret.Name, secret.Uid));

        private bool Exists(ObjectStore store, ResourceType type, string name, string uid) =>
            store.TryGet(type, Namespace, name, out var stored) && stored.Uid == uid;
    }
}
