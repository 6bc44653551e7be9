using System.Diagnostics;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.Sandbox.SelfManaged;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The self-managed documentation end to end: openssl keys → <c>azwi oidc discovery</c> and <c>azwi jwks</c> → upload
/// with the Blob SDK → a cluster whose issuer is the blob URL and whose signer uses the key files → <c>azwi oidc
/// verify</c> passes → the token exchange works → the rotation of <c>azwi oidc rotate-plan</c>, followed step by step,
/// never fails an exchange → once the old key is retired its tokens are refused with AADSTS700027.
/// </summary>
public sealed class SelfManagedIssuerTests
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task SelfManagedIssuer_DocumentedPathAndRotationPlan_ExchangesWorkAndRetiredKeyIsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var e2e = await SelfManagedEnvironment.StartAsync(time);
        var (saKey, saPub) = await e2e.GenerateKeyPairAsync("sa");

        // The two documents, made by azwi and uploaded where the documentation puts them.
        await e2e.PublishAsync(e2e.Issuer, [saPub]);
        var jwks = e2e.File("jwks.json");

        var cluster = await e2e.StartClusterAsync(new ServiceAccountKeyFlags(e2e.Issuer, saKey, [saPub]), time);
        await AssertVerifyPassesAsync(e2e, "--public-keys", saPub, "--kubeconfig", e2e.KubeconfigPath, "--service-account-name", SelfManagedEnvironment.ServiceAccount);
        var oldToken = await e2e.MintTokenFileAsync("old", TimeSpan.FromDays(7));
        await e2e.AssertExchangeWorksAsync(oldToken);

        // The rotation, as azwi plans it.
        var (newKey, newPub) = await e2e.GenerateKeyPairAsync("sa-new");
        var plan = JsonNode.Parse(await e2e.AzwiOkAsync(
            "oidc", "rotate-plan", "--issuer-url", e2e.Issuer, "--current-public-keys", saPub, "--new-public-key", newPub,
            "--max-token-lifetime", "2h", "--output", "json"))!["steps"]!.AsArray();
        Assert.Equal(4, plan.Count);
        var files = new Dictionary<string, string> { [KeyIdOf(saPub)] = saPub, [KeyIdOf(newPub)] = newPub };
        var tokens = new List<(string File, DateTimeOffset Expires)> { (oldToken, time.GetUtcNow().AddDays(7)) };
        foreach (var step in plan.Select(s => s!.AsObject()))
        {
            if (step["waitSeconds"] is { } wait)
            {
                time.Advance(TimeSpan.FromSeconds(wait.GetValue<long>()));
            }

            if (step["publishedKeyIds"] is JsonArray published)
            {
                string[] publicKeys = [.. published.Select(k => files[k!.GetValue<string>()])];
                await e2e.AzwiOkAsync(["jwks", .. publicKeys.SelectMany(f => new[] { "--public-keys", f }), "--output-file", jwks]);
                await e2e.UploadAsync(jwks, "openid/v1/jwks");
                await AssertVerifyPassesAsync(e2e, [.. publicKeys.SelectMany(f => new[] { "--public-keys", f })]);
            }

            if (step["clusterKeyIds"] is JsonArray trusted)
            {
                var signing = step["signingKeyId"]!.GetValue<string>() == KeyIdOf(newPub) ? newKey : saKey;
                cluster.RestartWith(new ServiceAccountKeyFlags(e2e.Issuer, signing, [.. trusted.Select(k => files[k!.GetValue<string>()])]));
                await AssertVerifyPassesAsync(e2e, "--kubeconfig", e2e.KubeconfigPath, "--service-account-name", SelfManagedEnvironment.ServiceAccount);
            }

            // No exchange fails at any step: every token still inside its lifetime and signed by a trusted key works.
            var retired = step["publishedKeyIds"] is JsonArray now && !now.Any(k => k!.GetValue<string>() == KeyIdOf(saPub));
            tokens.Add((await e2e.MintTokenFileAsync("step-" + tokens.Count, TimeSpan.FromHours(1)), time.GetUtcNow().AddHours(1)));
            foreach (var (token, _) in tokens.Where(t => t.Expires > time.GetUtcNow() && (!retired || KidOfToken(t.File) != KeyIdOf(saPub))))
            {
                await e2e.AssertExchangeWorksAsync(token);
            }
        }

        Assert.Equal(KeyIdOf(newPub), cluster.SigningKeyId);

        // Entra ID's cached keys expire; the old key's token (still within its own lifetime) is refused.
        time.Advance(TimeSpan.FromMinutes(6));
        var refused = await e2e.ExchangeAsync(oldToken);
        Assert.NotNull(refused);
        Assert.Contains("AADSTS700027", refused.ToString(), StringComparison.Ordinal);
        await e2e.AssertExchangeWorksAsync(await e2e.MintTokenFileAsync("after", TimeSpan.FromHours(1)));
    }

    [Fact(Timeout = Timeout)]
    public async Task Verify_AzwiProcessWithSslCertFile_TrustsTheIssuerThroughTheSystemStore()
    {
        await using var e2e = await SelfManagedEnvironment.StartAsync(TimeProvider.System);
        var (_, saPub) = await e2e.GenerateKeyPairAsync("sa");
        await e2e.PublishAsync(e2e.Issuer, [saPub]);

        var trusted = await RunAzwiProcessAsync(e2e.Host.CaBundlePath, "oidc", "verify", "--issuer-url", e2e.Issuer, "--public-keys", saPub);
        Assert.True(trusted.ExitCode == 0, trusted.Output);
        Assert.Contains("PASS  TLS_TRUSTED", trusted.Output, StringComparison.Ordinal);

        // Without the sandbox CA in SSL_CERT_FILE the same issuer is untrusted, as it would be for Entra ID.
        var systemRoots = Path.Combine(e2e.Directory, "roots-only.pem");
        await File.WriteAllTextAsync(systemRoots, File.Exists("/etc/ssl/certs/ca-certificates.crt") ? await File.ReadAllTextAsync("/etc/ssl/certs/ca-certificates.crt") : string.Empty);
        var untrusted = await RunAzwiProcessAsync(systemRoots, "oidc", "verify", "--issuer-url", e2e.Issuer);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("FAIL  TLS_UNTRUSTED", untrusted.Output, StringComparison.Ordinal);
    }

    internal static async Task AssertVerifyPassesAsync(SelfManagedEnvironment e2e, params string[] args)
    {
        var (exitCode, report) = await e2e.VerifyAsync(args);
        Assert.True(exitCode == 0 && report["passed"]!.GetValue<bool>(), report.ToJsonString());
    }

    private static string KeyIdOf(string publicKeyFile)
    {
        using var key = PublicKeyFileReader.Read(publicKeyFile)[0];
        return JsonWebKeySetWriter.KeyId(key);
    }

    private static string KidOfToken(string tokenFile) => new JsonWebToken(File.ReadAllText(tokenFile)).Kid;

    /// <summary>azwi as its own process: .NET on Linux builds its trust from SSL_CERT_FILE at start-up.</summary>
    private static async Task<(int ExitCode, string Output)> RunAzwiProcessAsync(string sslCertFile, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "azwi.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SSL_CERT_FILE"] = sslCertFile;
        start.Environment.Remove("SSL_CERT_DIR");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
