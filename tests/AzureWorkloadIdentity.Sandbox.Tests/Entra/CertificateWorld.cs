using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>
/// A running sandbox with one application whose certificates are registered through the real Graph SDK (signed in
/// as the sandbox operator), and Azure.Identity credentials pointed at its Entra ID.
/// </summary>
internal sealed class CertificateWorld : IAsyncDisposable
{
    public static readonly TokenRequestContext VaultScope = new(["https://vault.azure.net/.default"]);

    private CertificateWorld(WorkloadIdentityWorld world, GraphServiceClient graph, X509Certificate2 certificate)
    {
        World = world;
        Graph = graph;
        Certificate = certificate;
    }

    /// <summary>The application's certificate (with its private key); registered unless the world was started without.</summary>
    public X509Certificate2 Certificate { get; }

    public WorkloadIdentityWorld World { get; }

    public GraphServiceClient Graph { get; }

    public string ClientId => World.ClientId;

    public string TenantId => World.Host.Directory.TenantId;

    /// <summary>Token requests the credentials sent (form bodies), to see what the SDK puts into its assertion.</summary>
    public List<string> TokenRequests { get; } = [];

    public static async Task<CertificateWorld> StartAsync(bool register = true)
    {
        var world = await WorkloadIdentityWorld.StartAsync();
        var authentication = new AzureIdentityAuthenticationProvider(
            world.OperatorCredential(), ["127.0.0.1"], null, true, "https://graph.microsoft.com/.default");
        var graph = new GraphServiceClient(
            GraphClientFactory.Create(finalHandler: world.Host.Tls.CreateTrustingHandler()), authentication, world.Host.GraphEndpoint.ToString());
        var started = new CertificateWorld(world, graph, TestCertificates.Create());
        if (register)
        {
            await started.RegisterAsync(started.Certificate);
        }

        return started;
    }

    /// <summary>Replaces the application's certificate credentials, as the Entra portal's upload does.</summary>
    public Task RegisterAsync(params X509Certificate2[] certificates) =>
        Graph.Applications[World.Application.ObjectId].PatchAsync(new Microsoft.Graph.Models.Application
        {
            KeyCredentials = [.. certificates.Select(c => new Microsoft.Graph.Models.KeyCredential
            {
                Type = "AsymmetricX509Cert",
                Usage = "Verify",
                Key = c.RawData,
                DisplayName = c.Subject,
            })],
        });

    public ClientCertificateCredential CertificateCredential(X509Certificate2? certificate = null) => new(
        TenantId, ClientId, certificate ?? Certificate, new ClientCertificateCredentialOptions
        {
            AuthorityHost = World.Host.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = RecordingTransport(),
            Retry = { MaxRetries = 0 },
        });

    /// <summary>A credential that sends <paramref name="assertion"/> as it is, for assertions the SDKs would not make.</summary>
    public ClientAssertionCredential AssertionCredential(string assertion) => new(
        TenantId, ClientId, _ => Task.FromResult(assertion), new ClientAssertionCredentialOptions
        {
            AuthorityHost = World.Host.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = RecordingTransport(),
            Retry = { MaxRetries = 0 },
        });

    /// <summary>The token endpoint the sandbox serves, which MSAL puts into <c>aud</c>.</summary>
    public string TokenEndpoint => new Uri(World.Host.AuthorityHost, $"{TenantId}/oauth2/v2.0/token").ToString();

    /// <summary>Signs an assertion with the world's certificate, the way the SDKs do unless told otherwise.</summary>
    public string SignAssertion(string? signingAlgorithm = null, string? audience = null, DateTime? issued = null, DateTime? expires = null) =>
        Sign(new X509SigningCredentials(Certificate, signingAlgorithm ?? SecurityAlgorithms.RsaSha256), audience, issued, expires);

    public string Sign(SigningCredentials credentials, string? audience = null, DateTime? issued = null, DateTime? expires = null, IDictionary<string, object>? headers = null)
    {
        var from = issued ?? DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ClientId,
            Audience = audience ?? TokenEndpoint,
            IssuedAt = from,
            NotBefore = from,
            Expires = expires ?? from.AddMinutes(10),
            SigningCredentials = credentials,
            AdditionalHeaderClaims = headers,
            Claims = new Dictionary<string, object> { ["sub"] = ClientId, ["jti"] = Guid.NewGuid().ToString() },
        });
    }

    public Task<string> FailAsync(string assertion) => FailAsync(AssertionCredential(assertion));

    public async Task<string> FailAsync(TokenCredential credential)
    {
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => credential.GetTokenAsync(VaultScope, CancellationToken.None).AsTask());
        // Azure.Identity wraps MSAL's exception; the AADSTS text is the inner exception's message, as users see it.
        return error.Message + " " + error.InnerException?.Message;
    }

    private HttpClientTransport RecordingTransport() =>
        new(new HttpClient(new RecordingHandler(TokenRequests) { InnerHandler = World.Host.Tls.CreateTrustingHandler() }));

    public async ValueTask DisposeAsync()
    {
        Certificate.Dispose();
        Graph.Dispose();
        await World.DisposeAsync();
    }

    private sealed class RecordingHandler(List<string> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                var body = await content.ReadAsStringAsync(cancellationToken);
                lock (bodies)
                {
                    bodies.Add(body);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
