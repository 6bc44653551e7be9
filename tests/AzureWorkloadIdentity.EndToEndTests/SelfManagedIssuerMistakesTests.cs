using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.SelfManaged;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The self-managed mistakes behind most support requests, each made on purpose: <c>azwi oidc verify</c> names it
/// with its code before a workload tries, and the token exchange then fails as verify predicted.
/// </summary>
public sealed class SelfManagedIssuerMistakesTests
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task Verify_IssuerWithoutTrailingSlash_ReportsTrailingSlashBeforeExchangeFails()
    {
        await using var e2e = await SelfManagedEnvironment.StartAsync(TimeProvider.System);
        var (key, pub) = await e2e.GenerateKeyPairAsync("sa");
        var withoutSlash = e2e.Issuer.TrimEnd('/');
        await e2e.PublishAsync(withoutSlash, [pub]);
        await e2e.StartClusterAsync(new ServiceAccountKeyFlags(withoutSlash, key, [pub]), TimeProvider.System);

        // The federated credential (and the user) use the documented URL with its slash.
        var report = await VerifyFailsAsync(e2e, "--kubeconfig", e2e.KubeconfigPath, "--service-account-name", SelfManagedEnvironment.ServiceAccount);
        AssertFailed(report, "ISSUER_TRAILING_SLASH");
        AssertFailed(report, "TOKEN_ISSUER_MISMATCH");

        var failure = await e2e.ExchangeAsync(await e2e.MintTokenFileAsync("token", TimeSpan.FromHours(1)));
        Assert.Contains("AADSTS700211", failure?.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Verify_DiscoveryUploadedUnderItsFileName_ReportsDiscoveryUnreachable()
    {
        await using var e2e = await SelfManagedEnvironment.StartAsync(TimeProvider.System);
        var (key, pub) = await e2e.GenerateKeyPairAsync("sa");
        await e2e.PublishAsync(e2e.Issuer, [pub], discoveryBlob: "openid-configuration.json");
        await e2e.StartClusterAsync(new ServiceAccountKeyFlags(e2e.Issuer, key, [pub]), TimeProvider.System);

        var report = await VerifyFailsAsync(e2e, "--public-keys", pub);
        var check = AssertFailed(report, "DISCOVERY_UNREACHABLE");
        Assert.Contains("404", check["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var failure = await e2e.ExchangeAsync(await e2e.MintTokenFileAsync("token", TimeSpan.FromHours(1)));
        Assert.Contains("AADSTS90061", failure?.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Verify_ClusterSignsWithKeyMissingFromJwks_ReportsKeyNotPublished()
    {
        await using var e2e = await SelfManagedEnvironment.StartAsync(TimeProvider.System);
        var (key, pub) = await e2e.GenerateKeyPairAsync("sa");
        var (newKey, newPub) = await e2e.GenerateKeyPairAsync("sa-new");
        await e2e.PublishAsync(e2e.Issuer, [pub]);
        var cluster = await e2e.StartClusterAsync(new ServiceAccountKeyFlags(e2e.Issuer, key, [pub]), TimeProvider.System);
        await SelfManagedIssuerTests.AssertVerifyPassesAsync(e2e, "--kubeconfig", e2e.KubeconfigPath, "--service-account-name", SelfManagedEnvironment.ServiceAccount);

        // Rotated on the API server, but the JWKS upload was forgotten.
        cluster.RestartWith(new ServiceAccountKeyFlags(e2e.Issuer, newKey, [pub, newPub]));
        var report = await VerifyFailsAsync(e2e, "--kubeconfig", e2e.KubeconfigPath, "--service-account-name", SelfManagedEnvironment.ServiceAccount);
        AssertFailed(report, "KEY_NOT_PUBLISHED");
        AssertFailed(report, "TOKEN_SIGNATURE_INVALID");

        var failure = await e2e.ExchangeAsync(await e2e.MintTokenFileAsync("token", TimeSpan.FromHours(1)));
        Assert.Contains("AADSTS700027", failure?.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Verify_HttpIssuer_ReportsIssuerNotHttps()
    {
        await using var e2e = await SelfManagedEnvironment.StartAsync(TimeProvider.System, issuer => "http" + issuer["https".Length..]);
        var (key, pub) = await e2e.GenerateKeyPairAsync("sa");
        var http = "http" + e2e.Issuer["https".Length..];
        await e2e.StartClusterAsync(new ServiceAccountKeyFlags(http, key, [pub]), TimeProvider.System);

        var (exitCode, output, _) = await e2e.AzwiAsync("oidc", "verify", "--issuer-url", http, "--output", "json");
        Assert.Equal(1, exitCode);
        AssertFailed(JsonNode.Parse(output)!.AsObject(), "ISSUER_NOT_HTTPS");
        var (discoveryExit, _, discoveryError) = await e2e.AzwiAsync("oidc", "discovery", "--issuer-url", http);
        Assert.Equal(1, discoveryExit);
        Assert.Contains("https", discoveryError, StringComparison.Ordinal);

        var failure = await e2e.ExchangeAsync(await e2e.MintTokenFileAsync("token", TimeSpan.FromHours(1)));
        Assert.Contains("AADSTS90061", failure?.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonObject> VerifyFailsAsync(SelfManagedEnvironment e2e, params string[] args)
    {
        var (exitCode, report) = await e2e.VerifyAsync(args);
        Assert.Equal(1, exitCode);
        Assert.False(report["passed"]!.GetValue<bool>());
        return report;
    }

    private static JsonObject AssertFailed(JsonObject report, string code)
    {
        var check = report["checks"]!.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => c["code"]!.GetValue<string>() == code);
        Assert.True(check is not null, $"no {code} in {report.ToJsonString()}");
        Assert.Equal("failed", check["status"]!.GetValue<string>());
        return check;
    }
}
