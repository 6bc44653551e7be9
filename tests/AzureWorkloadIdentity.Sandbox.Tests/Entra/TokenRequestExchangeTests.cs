using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>A token minted by the sandbox cluster's TokenRequest API is the one Entra ID accepts.</summary>
public sealed class TokenRequestExchangeTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task TokenRequestToken_IsPublishedByIssuerDocuments_AndExchangedByWorkloadIdentityCredential()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        using var kubectl = world.Host.Kubernetes.CreateClient();
        await kubectl.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = WorkloadIdentityWorld.ServiceAccount } }, WorkloadIdentityWorld.Namespace);

        var response = await kubectl.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [WorkloadIdentityWorld.Audience], ExpirationSeconds = 3600 } },
            WorkloadIdentityWorld.ServiceAccount, WorkloadIdentityWorld.Namespace);
        var token = response.Status.Token;

        var jwt = new JsonWebToken(token);
        Assert.Equal(world.Host.IssuerUrl, jwt.Issuer);
        Assert.Equal("system:serviceaccount:default:workload-identity-sa", jwt.Subject);
        using var http = new HttpClient(world.Host.Tls.CreateTrustingHandler());
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", world.Host.Kubernetes.BearerToken);
        var apiServerDiscovery = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(world.Host.Kubernetes.BaseUri, ".well-known/openid-configuration")))!;
        Assert.Equal(world.Host.IssuerUrl, apiServerDiscovery["issuer"]!.GetValue<string>());
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await http.GetStringAsync(new Uri(world.Host.Issuer.JwksUri.ToString())));
        Assert.Contains(jwks.Keys, k => k.Kid == jwt.Kid);

        var credential = world.WorkloadCredential(world.WriteTokenFile(token));
        var accessToken = await credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(accessToken.Token));
    }
}
