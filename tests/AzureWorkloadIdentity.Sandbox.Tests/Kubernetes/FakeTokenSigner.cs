using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>Records what the TokenRequest endpoint asked to sign; the "token" spells out the claims.</summary>
internal sealed class FakeTokenSigner : IServiceAccountTokenSigner
{
    public Uri Issuer { get; } = new("https://issuer.sandbox.test/cluster");

    public List<ServiceAccountTokenClaims> Signed { get; } = [];

    public JsonObject GetJwks() => new() { ["keys"] = new JsonArray(new JsonObject { ["kid"] = "key-1", ["kty"] = "RSA" }) };

    public string Sign(ServiceAccountTokenClaims claims)
    {
        lock (Signed)
        {
            Signed.Add(claims);
        }

        return $"{claims.Subject}|{string.Join(',', claims.Audiences)}";
    }
}
