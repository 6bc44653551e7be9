using System.Net;
using System.Net.Http.Headers;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Tests.Storage;

/// <summary>
/// The Blob Storage stand-in's refusals over its real HTTPS endpoint, with the error codes and status codes Blob
/// Storage answers: a write without a token (NoAuthenticationInformation) or with a token for another audience (InvalidAuthenticationInfo) is 401, a private container reads
/// as 404 to an anonymous caller (Storage never says that a private resource exists), a missing blob and a missing
/// account are 404 with their own codes.
/// </summary>
public sealed class BlobStorageRefusalTests(BlobStorageRefusalTests.Sandbox sandbox) : IClassFixture<BlobStorageRefusalTests.Sandbox>
{
    private readonly SandboxHost _host = sandbox.Host;
    private readonly HttpClient _http = sandbox.Http;
    private readonly string _account = sandbox.Account;

    /// <summary>One sandbox for the class: each test uses containers of its own.</summary>
    public sealed class Sandbox : IAsyncLifetime
    {
        internal SandboxHost Host { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public string Account { get; } = "refusals" + Guid.NewGuid().ToString("N")[..8];

        public async Task InitializeAsync()
        {
            Host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
            Http = new HttpClient(Host.Tls.CreateTrustingHandler());
            Host.Storage.CreateAccount(Account);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Upload_WithoutAuthorization_Is401NoAuthenticationInformation()
    {
        await CreateContainerAsync("public-one", "container");

        using var response = await _http.SendAsync(Upload("public-one", "openid/v1/jwks", token: null));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "NoAuthenticationInformation");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(BlobUri("public-one", "openid/v1/jwks"))).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Upload_WithTokenForResourceManager_Is401AndNothingIsWritten()
    {
        await CreateContainerAsync("public-two", "container");
        var managementToken = await TokenAsync(SandboxHost.ResourceManagerAudience + ".default");

        using var response = await _http.SendAsync(Upload("public-two", "openid/v1/jwks", managementToken));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "InvalidAuthenticationInfo");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(BlobUri("public-two", "openid/v1/jwks"))).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task AnonymousRead_OfPrivateContainer_Is404ResourceNotFound()
    {
        await CreateContainerAsync("private-one", access: null);
        using (var upload = await _http.SendAsync(Upload("private-one", "doc", await StorageTokenAsync())))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        using var anonymous = await _http.GetAsync(BlobUri("private-one", "doc"));
        using var signedIn = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, BlobUri("private-one", "doc"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", await StorageTokenAsync()) },
        });

        await AssertErrorAsync(anonymous, HttpStatusCode.NotFound, "ResourceNotFound");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("{}", await signedIn.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Read_MissingBlobOfPublicContainer_Is404BlobNotFound()
    {
        await CreateContainerAsync("public-three", "container");

        using var response = await _http.GetAsync(BlobUri("public-three", ".well-known/openid-configuration"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "BlobNotFound");
    }

    [Fact(Timeout = 60_000)]
    public async Task CreateContainer_InAccountNeverCreated_Is404AccountNotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_host.Storage.AccountUri("nevermade" + Guid.NewGuid().ToString("N")[..6]) + "/issuer?restype=container"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", await StorageTokenAsync()) },
        };

        using var response = await _http.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "AccountNotFound");
    }

    private Uri BlobUri(string container, string blob) => new(_host.Storage.ContainerUri(_account, container), blob);

    private Task<string> StorageTokenAsync() => TokenAsync("https://storage.azure.com/.default");

    private async Task<string> TokenAsync(string scope)
    {
        var credential = new ClientSecretCredential(_host.Directory.TenantId, _host.Operator.ClientId, _host.Operator.ClientSecret,
            new ClientSecretCredentialOptions
            {
                AuthorityHost = _host.AuthorityHost,
                DisableInstanceDiscovery = true,
                Transport = new HttpClientTransport(new HttpClient(_host.Tls.CreateTrustingHandler())),
            });
        return (await credential.GetTokenAsync(new TokenRequestContext([scope]), CancellationToken.None)).Token;
    }

    private async Task CreateContainerAsync(string container, string? access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_host.Storage.ContainerUri(_account, container).ToString().TrimEnd('/') + "?restype=container"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", await StorageTokenAsync()) },
        };
        if (access is not null)
        {
            request.Headers.Add("x-ms-blob-public-access", access);
        }

        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private HttpRequestMessage Upload(string container, string blob, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, BlobUri(container, blob))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.Single() : null);
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
    }
}
