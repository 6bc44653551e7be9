using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Commands.Doctor;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

/// <summary>
/// <c>azwi doctor</c> on a cluster with an issuer of its own (the sandbox's cloud stays): an issuer nobody outside
/// can reach, and a cluster whose tokens carry another issuer than the one it publishes.
/// </summary>
public sealed class DoctorIssuerSandboxTests
{
    private const int Timeout = 120_000;

    [Fact(Timeout = Timeout)]
    public async Task Doctor_IssuerNotReachable_FailsIssuerReachableWithAadsts90061()
    {
        using var key = SigningKey.Generate();
        using var issuer = new ServiceAccountIssuer("https://127.0.0.1:1/" + Guid.NewGuid() + "/", key);
        await using var sandbox = await DoctorSandbox.StartAsync(_ => issuer);
        await sandbox.CreateIdentityAsync();
        await sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.IssuerReachable], run.Failed);
        Assert.Contains("AADSTS90061", run.Found(DoctorCodes.IssuerReachable), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_TokenIssuerDiffersFromPublished_FailsTokenIssuerWithDifferenceMarked()
    {
        await using var sandbox = await DoctorSandbox.StartAsync(host => new PublishesOtherIssuer(host.Issuer));
        await sandbox.CreateIdentityAsync(issuer: sandbox.Host.IssuerUrl);
        await sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.TokenIssuer], run.Failed);
        Assert.Contains("^ one ends at character", run.Details(DoctorCodes.TokenIssuer)[2], StringComparison.Ordinal);
    }

    /// <summary>Publishes the issuer without its trailing slash while its tokens keep it (a mis-set --service-account-issuer).</summary>
    private sealed class PublishesOtherIssuer(ServiceAccountIssuer inner) : IServiceAccountTokenSigner
    {
        public Uri Issuer { get; } = new(inner.IssuerString.TrimEnd('/'));

        public JsonObject GetJwks() => inner.GetJwks();

        public string Sign(ServiceAccountTokenClaims claims) => inner.Sign(claims);
    }
}
