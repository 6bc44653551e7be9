using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Oidc;

/// <summary>Every check code of <c>azwi oidc verify</c>, through a loopback HTTPS server serving good and broken issuers.</summary>
public sealed class VerifyCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private IssuerServer _server = null!;
    private string _publicKey = null!;
    private string _otherPublicKey = null!;
    private string _jwks = null!;

    public async Task InitializeAsync()
    {
        _server = await IssuerServer.StartAsync();
        _publicKey = await NewPublicKeyAsync("sa");
        _otherPublicKey = await NewPublicKeyAsync("other");
        _jwks = (await CliRunner.RunAsync("jwks", "--public-keys", _publicKey)).Out;
        _server.ServeIssuer(_jwks);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_GoodIssuer_EveryCheckPassesExit0()
    {
        var run = await VerifyAsync("--public-keys", _publicKey);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Out + run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["ISSUER_URL_VALID", "TLS_TRUSTED", "DISCOVERY_REACHABLE", "DISCOVERY_JSON", "ISSUER_MATCH", "JWKS_REACHABLE", "JWKS_VALID", "KEY_PUBLISHED"],
            lines[..^1].Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim()));
        Assert.All(lines[..^1], l => Assert.StartsWith("PASS  ", l, StringComparison.Ordinal));
        Assert.Equal($"issuer {_server.Issuer} passed every check", lines[^1]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_JsonOutput_DocumentedShapeOnStdout()
    {
        var run = await VerifyAsync("--public-keys", _otherPublicKey, "--output", "json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var report = JsonNode.Parse(run.Out)!.AsObject();
        Assert.Equal(["issuerUrl", "passed", "checks"], report.Select(p => p.Key));
        Assert.Equal(_server.Issuer, report["issuerUrl"]!.GetValue<string>());
        Assert.False(report["passed"]!.GetValue<bool>());
        foreach (var check in report["checks"]!.AsArray().Select(c => c!.AsObject()))
        {
            Assert.Equal(["code", "status", "message"], check.Select(p => p.Key));
            Assert.Contains(check["status"]!.GetValue<string>(), new[] { "passed", "failed", "warning" });
        }

        Assert.Equal("failed", Check(report, "KEY_NOT_PUBLISHED")["status"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BrokenIssuers() => new()
    {
        { "issuer-mismatch", "ISSUER_MISMATCH" },
        { "issuer-without-slash", "ISSUER_TRAILING_SLASH" },
        { "discovery-missing", "DISCOVERY_UNREACHABLE" },
        { "discovery-redirect", "DISCOVERY_UNREACHABLE" },
        { "discovery-not-json", "DISCOVERY_INVALID" },
        { "jwks-missing", "JWKS_UNREACHABLE" },
        { "jwks-uri-http", "JWKS_UNREACHABLE" },
        { "jwks-not-json", "JWKS_INVALID" },
        { "jwks-broken-key", "JWKS_INVALID" },
        { "jwks-empty", "JWKS_INVALID" },
        { "key-not-published", "KEY_NOT_PUBLISHED" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BrokenIssuers))]
    public async Task Verify_BrokenIssuer_FailsWithCode(string breakage, string code)
    {
        var discoveryPath = "/account/oidc-test/.well-known/openid-configuration";
        var jwksPath = "/account/oidc-test/openid/v1/jwks";
        string[] keys = ["--public-keys", _publicKey];
        switch (breakage)
        {
            case "issuer-mismatch":
                _server.ServeIssuer(_jwks, "https://other.example.com/oidc-test/");
                break;
            case "issuer-without-slash":
                _server.ServeIssuer(_jwks, _server.Issuer.TrimEnd('/'));
                break;
            case "discovery-missing":
                _server.Remove(discoveryPath);
                break;
            case "discovery-redirect":
                _server.Set(discoveryPath, string.Empty, 302, _server.Issuer + "elsewhere");
                break;
            case "discovery-not-json":
                _server.Set(discoveryPath, "<html>not found</html>");
                break;
            case "jwks-missing":
                _server.Remove(jwksPath);
                break;
            case "jwks-uri-http":
                _server.Set(discoveryPath, $$"""{"issuer":"{{_server.Issuer}}","jwks_uri":"http://{{new Uri(_server.Issuer).Authority}}{{jwksPath}}"}""");
                break;
            case "jwks-not-json":
                _server.Set(jwksPath, "keys");
                break;
            case "jwks-broken-key":
                _server.Set(jwksPath, """{"keys":[{"use":"sig","kty":"RSA","kid":"broken","alg":"RS256","e":"AQAB"}]}""");
                break;
            case "jwks-empty":
                _server.Set(jwksPath, """{"keys":[]}""");
                break;
            case "key-not-published":
                keys = ["--public-keys", _publicKey, "--public-keys", _otherPublicKey];
                break;
        }

        var run = await VerifyAsync([.. keys, "--output", "json"]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var report = JsonNode.Parse(run.Out)!.AsObject();
        Assert.False(report["passed"]!.GetValue<bool>());
        var check = Check(report, code);
        Assert.Equal("failed", check["status"]!.GetValue<string>());
        Assert.DoesNotContain('\n', check["message"]!.GetValue<string>());
        if (breakage == "discovery-redirect")
        {
            Assert.Contains("does not follow redirects", check["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_MoreThan100Keys_WarnsButPasses()
    {
        using var key = PublicKeyFileReader.Read(_publicKey)[0];
        var jwk = JsonNode.Parse(_jwks)!["keys"]![0]!.ToJsonString();
        var filler = Enumerable.Range(0, 100).Select(_ => jwk.Replace(JsonWebKeySetWriter.KeyId(key), Guid.NewGuid().ToString("N"), StringComparison.Ordinal));
        _server.Set("/account/oidc-test/openid/v1/jwks", "{\"keys\":[" + string.Join(',', [jwk, .. filler]) + "]}");

        var run = await VerifyAsync("--public-keys", _publicKey, "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("warning", Check(JsonNode.Parse(run.Out)!.AsObject(), "JWKS_TOO_MANY_KEYS")["status"]!.GetValue<string>());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("http://127.0.0.1:1/oidc/", "ISSUER_NOT_HTTPS")]
    [InlineData("https://127.0.0.1:1/oidc/?x=1", "ISSUER_URL_INVALID")]
    [InlineData("not a url", "ISSUER_URL_INVALID")]
    public async Task Verify_IssuerEntraRefuses_FailsFirstCheckOnly(string issuer, string code)
    {
        var run = await CliRunner.RunAsync("oidc", "verify", "--issuer-url", issuer, "--output", "json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var check = Assert.Single(JsonNode.Parse(run.Out)!["checks"]!.AsArray());
        Assert.Equal(code, check!["code"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_CertificateNotInSystemTrust_TlsUntrusted()
    {
        var run = await CliRunner.RunAsync("oidc", "verify", "--issuer-url", _server.Issuer);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("FAIL  TLS_UNTRUSTED", run.Out, StringComparison.Ordinal);
        Assert.Contains("SSL_CERT_FILE", run.Out, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(new[] { "--timeout", "00:00:02" }, "within 2 s")]
    [InlineData(new string[0], "within 15 s")]
    public async Task Verify_SilentServer_FailsWithinTheBound(string[] timeout, string expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                accepted.Add(await listener.AcceptSocketAsync(stop.Token));
            }
        });
        var issuer = $"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/oidc/";

        var run = await CliRunner.RunAsync(["oidc", "verify", "--issuer-url", issuer, .. timeout]);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        accepted.ForEach(s => s.Dispose());
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("FAIL  DISCOVERY_UNREACHABLE", run.Out, StringComparison.Ordinal);
        Assert.Contains(expected, run.Out, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_ClusterWithoutIssuerDiscovery_ClusterUnreachable()
    {
        await using var cluster = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { Tls = _server.Tls });
        var kubeconfig = cluster.WriteKubeconfig(_directory.File("kubeconfig"));

        var run = await VerifyAsync("--kubeconfig", kubeconfig, "--output", "json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("/openid/v1/jwks", Check(JsonNode.Parse(run.Out)!.AsObject(), "CLUSTER_UNREACHABLE")["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("oidc verify", "--issuer-url is required")]
    [InlineData("oidc verify --issuer-url https://i.example.com/ --output yaml", "yaml")]
    [InlineData("oidc verify --issuer-url https://i.example.com/ --kubeconfig /nonexistent/kubeconfig", "--kubeconfig")]
    public async Task Verify_BadFlags_OneLineError(string arguments, string expected)
    {
        var run = await CliRunner.RunAsync(arguments.Split(' '));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private Task<CliRun> VerifyAsync(params string[] args) =>
        CliRunner.RunAsync(s => s with { CreateHttpHandler = _server.Tls.CreateTrustingHandler }, ["oidc", "verify", "--issuer-url", _server.Issuer, .. args]);

    private static JsonObject Check(JsonObject report, string code)
    {
        var check = report["checks"]!.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => c["code"]!.GetValue<string>() == code);
        Assert.True(check is not null, $"no {code} in {report.ToJsonString()}");
        return check;
    }

    private async Task<string> NewPublicKeyAsync(string name) => (await OpenSsl.GenerateRsaKeyPairAsync(_directory.Path, name)).Pub;
}
