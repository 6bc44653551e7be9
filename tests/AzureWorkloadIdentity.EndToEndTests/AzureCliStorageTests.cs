using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// docs/self-managed-clusters.md's upload step with the real <c>az storage</c> commands against the sandbox's Blob
/// Storage, authorised with the account key (Shared Key) through <c>AZURE_STORAGE_CONNECTION_STRING</c>, and the
/// stand-in's Shared Key checks through the Blob SDK.
/// </summary>
public sealed class AzureCliStorageTests : IAsyncLifetime
{
    private SandboxHost _host = null!;
    private string _account = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        _account = "oidcissuer" + Guid.NewGuid().ToString("N")[..8];
        _host.Storage.CreateAccount(_account);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact(Timeout = 300_000)]
    public async Task AzStorage_DocumentedUploadCommands_PublishDocumentsReadableAnonymously()
    {
        var work = Directory.CreateDirectory(Path.Combine(_host.WorkDirectory, "az-upload")).FullName;
        var discovery = Path.Combine(work, "openid-configuration.json");
        var jwks = Path.Combine(work, "jwks.json");
        await File.WriteAllTextAsync(discovery, """{"issuer":"https://example/"}""");
        await File.WriteAllTextAsync(jwks, """{"keys":[]}""");
        var environment = new Dictionary<string, string>(_host.CaTrustEnvironment())
        {
            ["AZURE_STORAGE_CONNECTION_STRING"] = _host.Storage.ConnectionString(_account),
        };
        var config = Path.Combine(work, "az-config");

        async Task Az(params string[] args)
        {
            var (exitCode, output, error) = await AzureCli.RunAsync(environment, config, args);
            Assert.True(exitCode == 0, $"az {string.Join(' ', args)} exited {exitCode}:\n{output}\n{error}");
        }

        await Az("storage", "container", "create", "--name", "oidc-test", "--public-access", "container");
        await Az("storage", "blob", "upload", "--container-name", "oidc-test", "--file", discovery,
            "--name", ".well-known/openid-configuration", "--overwrite");
        await Az("storage", "blob", "upload", "--container-name", "oidc-test", "--file", jwks, "--name", "openid/v1/jwks", "--overwrite");

        using var anonymous = new HttpClient(_host.Tls.CreateTrustingHandler());
        var container = _host.Storage.ContainerUri(_account, "oidc-test");
        Assert.Equal(await File.ReadAllTextAsync(discovery), await anonymous.GetStringAsync(new Uri(container, ".well-known/openid-configuration")));
        Assert.Equal(await File.ReadAllTextAsync(jwks), await anonymous.GetStringAsync(new Uri(container, "openid/v1/jwks")));
    }

    [Fact(Timeout = 120_000)]
    public async Task AzStorage_WrongAccountKey_FailsNamingAuthenticationAndWritesNothing()
    {
        var work = Directory.CreateDirectory(Path.Combine(_host.WorkDirectory, "az-wrong-key")).FullName;
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var environment = new Dictionary<string, string>(_host.CaTrustEnvironment())
        {
            ["AZURE_STORAGE_CONNECTION_STRING"] = _host.Storage.ConnectionString(_account).Replace(_host.Storage.AccountKey(_account), wrongKey, StringComparison.Ordinal),
        };

        var (exitCode, output, error) = await AzureCli.RunAsync(environment, Path.Combine(work, "az-config"),
            "storage", "container", "create", "--name", "oidc-test", "--public-access", "container");

        Assert.True(exitCode != 0, $"az succeeded with a wrong key:\n{output}");
        Assert.Contains("Authentication failure", error, StringComparison.Ordinal);
        using var anonymous = new HttpClient(_host.Tls.CreateTrustingHandler());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(_host.Storage.ContainerUri(_account, "oidc-test") + "x")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task BlobSdk_SharedKey_UploadsWithTheKeyAndIsRefused403WithAnother()
    {
        var options = new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(_host.Tls.CreateTrustingHandler())) };
        var right = new BlobServiceClient(_host.Storage.ConnectionString(_account), options);
        var wrong = new BlobServiceClient(
            _host.Storage.ConnectionString(_account).Replace(_host.Storage.AccountKey(_account), Convert.ToBase64String(new byte[64]), StringComparison.Ordinal), options);

        await right.GetBlobContainerClient("keyed").CreateAsync();
        await right.GetBlobContainerClient("keyed").GetBlobClient("openid/v1/jwks").UploadAsync(BinaryData.FromString("{}"));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() =>
            wrong.GetBlobContainerClient("keyed").GetBlobClient("openid/v1/jwks").UploadAsync(BinaryData.FromString("{\"x\":1}"), overwrite: true));
        var read = await right.GetBlobContainerClient("keyed").GetBlobClient("openid/v1/jwks").DownloadContentAsync();

        Assert.Equal(403, refused.Status);
        Assert.Equal("AuthenticationFailed", refused.ErrorCode);
        Assert.Equal("{}", read.Value.Content.ToString());
    }
}
