using System.Text.Json;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Oidc;

public sealed class DiscoveryCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Discovery_DocumentedIssuer_MatchesDocumentationHeredocExactly()
    {
        var run = await CliRunner.RunAsync("oidc", "discovery", "--issuer-url", "https://oidcissuer1234abcd.blob.core.windows.net/oidc-test/");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            """
            {
              "issuer": "https://oidcissuer1234abcd.blob.core.windows.net/oidc-test/",
              "jwks_uri": "https://oidcissuer1234abcd.blob.core.windows.net/oidc-test/openid/v1/jwks",
              "response_types_supported": [
                "id_token"
              ],
              "subject_types_supported": [
                "public"
              ],
              "id_token_signing_alg_values_supported": [
                "RS256"
              ]
            }

            """.ReplaceLineEndings("\n"),
            run.Out);
        Assert.Contains("ends with '/'", run.Error, StringComparison.Ordinal);
        Assert.Contains("same trailing slash", run.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("https://Issuer.Example.COM:8443/Tenant/Path", "https://Issuer.Example.COM:8443/Tenant/Path/openid/v1/jwks")]
    [InlineData("https://issuer.example.com", "https://issuer.example.com/openid/v1/jwks")]
    [InlineData("https://issuer.example.com//", "https://issuer.example.com//openid/v1/jwks")]
    public async Task Discovery_IssuerKeptByteForByte_JwksUriHasOneSlashRemoved(string issuer, string jwksUri)
    {
        var run = await CliRunner.RunAsync("oidc", "discovery", "--issuer-url", issuer);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(issuer, document.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(jwksUri, document.RootElement.GetProperty("jwks_uri").GetString());
        Assert.Equal(issuer.EndsWith('/'), run.Error.Contains("ends with '/'", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Discovery_JwksUriAndOutputFile_WritesTheFileOnly()
    {
        var output = _directory.File("openid-configuration.json");

        var run = await CliRunner.RunAsync(
            "oidc", "discovery", "--issuer-url", "https://issuer.example.com/x", "--jwks-uri", "https://keys.example.com/jwks.json", "--output-file", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        Assert.Equal("https://keys.example.com/jwks.json", document.RootElement.GetProperty("jwks_uri").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Discovery_RsaAndEcKeys_AlgorithmsFromTheKeysInOrder()
    {
        var rsa = _directory.File("rsa.key");
        var ec = _directory.File("ec.key");
        await OpenSsl.RunAsync("genrsa", "-out", rsa, "2048");
        await OpenSsl.RunAsync("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", ec);

        var run = await CliRunner.RunAsync("oidc", "discovery", "--issuer-url", "https://issuer.example.com/", "--public-keys", ec, "--public-keys", rsa + "," + rsa);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(["ES384", "RS256"], document.RootElement.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("http://issuer.example.com/", "uses http")]
    [InlineData("https://issuer.example.com/?tenant=1", "has a query")]
    [InlineData("https://issuer.example.com/#x", "has a fragment")]
    [InlineData("issuer.example.com/oidc", "not an absolute URL")]
    [InlineData(" https://issuer.example.com/", "whitespace")]
    public async Task Discovery_IssuerEntraRefuses_OneLineErrorWithReason(string issuer, string reason)
    {
        var run = await CliRunner.RunAsync("oidc", "discovery", "--issuer-url", issuer);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: --issuer-url: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("oidc discovery", "--issuer-url is required")]
    [InlineData("oidc discovery --issuer-url https://i.example.com/ --jwks-uri http://i.example.com/jwks", "--jwks-uri")]
    [InlineData("oidc discovery --issuer-url https://i.example.com/ --public-keys /nonexistent/sa.pub", "cannot read public key file")]
    public async Task Discovery_BadFlags_OneLineError(string arguments, string expected)
    {
        var run = await CliRunner.RunAsync(arguments.Split(' '));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
