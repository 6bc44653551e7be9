using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The cluster's service-account token issuer, as the API server uses it: the TokenRequest API signs with it and
/// the API server's issuer discovery (<c>/.well-known/openid-configuration</c>, <c>/openid/v1/jwks</c>) publishes
/// its issuer and verification keys. The OIDC issuer of the sandbox implements it.
/// </summary>
public interface IServiceAccountTokenSigner
{
    /// <summary>The <c>iss</c> of minted tokens (the cluster's service-account issuer URL).</summary>
    Uri Issuer { get; }

    /// <summary>The JSON Web Key Set with every verification key (old and new during a rotation).</summary>
    JsonObject GetJwks();

    /// <summary>Signs a service-account token with the current key.</summary>
    string Sign(ServiceAccountTokenClaims claims);
}
