using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Oidc;

/// <summary>
/// The OIDC issuer of the cluster's service-account tokens: it signs tokens with the current key, publishes every
/// verification key (old and new during a rotation) and serves the discovery document, exactly as a self-managed
/// cluster's issuer bucket or AKS's OIDC issuer does. The issuer string is used byte for byte (a trailing slash
/// matters to Entra ID).
/// </summary>
public sealed class ServiceAccountIssuer : IServiceAccountTokenSigner, IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Lock _gate = new();
    private SigningKey _current;
    private List<SigningKey> _published;

    public ServiceAccountIssuer(string issuer, SigningKey signingKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentNullException.ThrowIfNull(signingKey);
        IssuerString = issuer;
        Issuer = new Uri(issuer);
        _current = signingKey;
        _published = [signingKey];
    }

    /// <summary>The issuer exactly as it appears in <c>iss</c> and in the discovery document.</summary>
    public string IssuerString { get; }

    public Uri Issuer { get; }

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey CurrentKey
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Every published verification key, current first.</summary>
    public IReadOnlyList<SigningKey> PublishedKeys
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>
    /// Starts a key rotation: <paramref name="next"/> signs from now on; the old key stays published so tokens it
    /// signed keep validating until they expire (then call <see cref="Retire"/>).
    /// </summary>
    public void Rotate(SigningKey next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            _current = next;
            _published = [next, .. _published.Where(k => k.KeyId != next.KeyId)];
        }
    }

    /// <summary>Stops publishing a key; tokens it signed no longer validate. The current key cannot be retired.</summary>
    public void Retire(string keyId)
    {
        lock (_gate)
        {
            if (_current.KeyId == keyId)
            {
                throw new InvalidOperationException($"key {keyId} signs new tokens; rotate to another key before retiring it");
            }

            _published = [.. _published.Where(k => k.KeyId != keyId)];
        }
    }

    public JsonObject GetJwks() => new()
    {
        ["keys"] = new JsonArray([.. PublishedKeys.Select(k => (JsonNode)k.ToJwk())]),
    };

    /// <summary>The discovery document, in the shape Kubernetes serves and the documentation shows.</summary>
    public JsonObject GetDiscoveryDocument() => new()
    {
        ["issuer"] = IssuerString,
        ["jwks_uri"] = JwksUri.ToString(),
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    };

    /// <summary>Where the discovery document is served: the issuer (trailing slash trimmed) + the well-known path.</summary>
    public Uri DiscoveryUri => new(IssuerString.TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>Where the key set is served.</summary>
    public Uri JwksUri => new(IssuerString.TrimEnd('/') + "/openid/v1/jwks");

    public string Sign(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var kubernetes = new Dictionary<string, object>
        {
            ["namespace"] = claims.Namespace,
            ["serviceaccount"] = new Dictionary<string, object> { ["name"] = claims.ServiceAccountName, ["uid"] = claims.ServiceAccountUid },
        };
        if (claims.PodName is not null)
        {
            kubernetes["pod"] = new Dictionary<string, object> { ["name"] = claims.PodName, ["uid"] = claims.PodUid ?? string.Empty };
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = IssuerString,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            NotBefore = claims.IssuedAt.UtcDateTime,
            Expires = claims.Expires.UtcDateTime,
            SigningCredentials = CurrentKey.Credentials,
            Claims = new Dictionary<string, object>
            {
                // Kubernetes always writes aud as an array, even with one audience.
                [JwtRegisteredClaimNames.Aud] = claims.Audiences.ToArray(),
                [JwtRegisteredClaimNames.Sub] = claims.Subject,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                ["kubernetes.io"] = kubernetes,
            },
        };
        return _handler.CreateToken(descriptor);
    }

    public void Dispose()
    {
        foreach (var key in PublishedKeys)
        {
            key.Dispose();
        }
    }
}
