using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Primitives;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.Tests.KubernetesApi;

/// <summary>The webhook's own calls against the sandbox API server, configured from its kubeconfig (HTTPS, CA, bearer token).</summary>
public sealed class KubernetesApiClientTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task CreateGetReplace_RoundTripTheObject()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = SandboxClients.CreateApi(server);
        var secrets = KubernetesApiJsonContext.Default.V1Secret;

        var created = await client.CreateAsync(
            KubernetesApiClient.Path("api", "v1", "namespaces", "wi-system", "secrets"),
            new V1Secret { Metadata = new V1ObjectMeta { Name = "wi-cert" }, Type = "Opaque", Data = new Dictionary<string, byte[]> { ["a"] = [1, 2, 3] } },
            secrets,
            CancellationToken.None);
        var path = KubernetesApiClient.Path("api", "v1", "namespaces", "wi-system", "secrets", "wi-cert");
        var read = await client.GetAsync(path, secrets, CancellationToken.None);
        read.Data["b"] = [4];
        var replaced = await client.ReplaceAsync(path, read, secrets, CancellationToken.None);

        Assert.Equal("wi-system", created.Metadata.NamespaceProperty);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal([1, 2, 3], read.Data["a"]);
        Assert.NotEqual(read.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(["a", "b"], (await client.GetAsync(path, secrets, CancellationToken.None)).Data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task GetAsync_Missing_ThrowsWithStatusCodeAndTheServersMessage()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = SandboxClients.CreateApi(server);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.GetAsync(
            KubernetesApiClient.Path("api", "v1", "namespaces", "ns", "serviceaccounts", "nobody"),
            KubernetesApiJsonContext.Default.V1ServiceAccount,
            CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.StartsWith("GET /api/v1/namespaces/ns/serviceaccounts/nobody: the API server answered 404 NotFound: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("nobody", error.Message[error.Message.LastIndexOf(':')..], StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Status\"", error.Response.Content.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ReplaceAsync_StaleResourceVersion_IsAConflict()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = SandboxClients.CreateApi(server);
        var accounts = KubernetesApiJsonContext.Default.V1ServiceAccount;
        var path = KubernetesApiClient.Path("api", "v1", "namespaces", "ns", "serviceaccounts", "sa");
        var stale = await client.CreateAsync(
            KubernetesApiClient.Path("api", "v1", "namespaces", "ns", "serviceaccounts"), new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "sa" } }, accounts, CancellationToken.None);
        var current = await client.GetAsync(path, accounts, CancellationToken.None);
        current.Metadata.Labels = new Dictionary<string, string> { ["x"] = "1" };
        await client.ReplaceAsync(path, current, accounts, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.ReplaceAsync(path, stale, accounts, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Requests_CarryTheKubeconfigsToken()
    {
        var seen = new List<string?>();
        await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions
        {
            BearerToken = "token-from-kubeconfig",
            OnRequest = context =>
            {
                lock (seen)
                {
                    seen.Add(context.Request.Headers.Authorization);
                }

                return Task.CompletedTask;
            },
        });
        using var client = SandboxClients.CreateApi(server);

        await client.GetAsync("api/v1/serviceaccounts", KubernetesApiJsonContext.Default.V1ServiceAccountList, CancellationToken.None);

        Assert.Equal(["Bearer token-from-kubeconfig"], seen);
    }

    [Fact(Timeout = Timeout)]
    public async Task Requests_ToAServerOutsideTheConfiguredCa_FailTheTlsCheck()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var other = SandboxTls.Create();
        var otherCa = Convert.ToBase64String(Encoding.ASCII.GetBytes(other.CaPem));
        var kubeconfig = Regex.Replace(server.KubeconfigYaml(), "certificate-authority-data: .*", "certificate-authority-data: " + otherCa);
        using var client = FromKubeconfig(kubeconfig);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(
            "api/v1/serviceaccounts", KubernetesApiJsonContext.Default.V1ServiceAccountList, CancellationToken.None));
    }

    [Fact(Timeout = Timeout)]
    public async Task AnswerThatIsNotJson_IsAClearErrorForTheCallAndTheLookUp()
    {
        using var tls = SandboxTls.Create();
        await using var server = await LoopbackHttpsServer.StartAsync(
            tls, app => app.MapGet("/{**path}", () => Results.Content("<html>login</html>", "text/html")));
        using var client = FromKubeconfig(Kubeconfig(server.BaseUri.ToString().TrimEnd('/'), tls.CaPem, "token: t"));
        var cache = new ServiceAccountCache(client, Options.Create(new ServiceAccountCacheOptions()));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.GetAsync(
            KubernetesApiClient.Path("api", "v1", "namespaces", "ns", "serviceaccounts", "sa"), KubernetesApiJsonContext.Default.V1ServiceAccount, CancellationToken.None));
        var lookup = await Assert.ThrowsAsync<ServiceAccountLookupException>(async () => await cache.FindAsync("ns", "sa", CancellationToken.None));

        Assert.StartsWith("GET /api/v1/namespaces/ns/serviceaccounts/sa: the answer is not a V1ServiceAccount", error.Message, StringComparison.Ordinal);
        Assert.Contains("ns/sa", lookup.Message, StringComparison.Ordinal);
        Assert.Contains("the answer is not a V1ServiceAccount", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestUri_KeepsTheServersPathPrefix_AndLeavesOutNullParameters()
    {
        using var client = new KubernetesApiClient(new KubernetesClientConfiguration { Host = "https://proxy.example/k8s/clusters/c-1/", AccessToken = "t" });

        var uri = client.RequestUri("/api/v1/serviceaccounts", [new("limit", "500"), new("continue", null), new("fieldSelector", "metadata.name=a b&c")]);

        Assert.Equal("https://proxy.example/k8s/clusters/c-1/api/v1/serviceaccounts?limit=500&fieldSelector=metadata.name%3Da%20b%26c", uri.AbsoluteUri);
        Assert.Equal("https://proxy.example/k8s/clusters/c-1/api/v1/namespaces", client.RequestUri("api/v1/namespaces").AbsoluteUri);
    }

    [Fact]
    public void Path_EscapesEachSegment()
    {
        Assert.Equal("api/v1/namespaces/a%2Fb/serviceaccounts/c%3Fd", KubernetesApiClient.Path("api", "v1", "namespaces", "a/b", "serviceaccounts", "c?d"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Requests_PresentTheKubeconfigsClientCertificate()
    {
        using var tls = SandboxTls.Create();
        await using var server = await LoopbackHttpsServer.StartAsync(
            tls,
            app => app.MapGet("/api/v1/namespaces/ns/serviceaccounts/who", (HttpContext context) => Results.Text(
                $$$"""{"metadata":{"name":"{{{context.Connection.ClientCertificate?.Thumbprint ?? "none"}}}"}}""", "application/json")),
            https: options =>
            {
                options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                options.ClientCertificateValidation = (_, _, _) => true;
            });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = SelfSigned(key);
        using var client = FromKubeconfig(Kubeconfig(server.BaseUri.ToString().TrimEnd('/'), tls.CaPem, CertificateUser(issued, key)));

        var account = await client.GetAsync("api/v1/namespaces/ns/serviceaccounts/who", KubernetesApiJsonContext.Default.V1ServiceAccount, CancellationToken.None);

        Assert.Equal(issued.Thumbprint, account.Metadata.Name);
    }

    [Fact]
    public void ClientCertificate_FromKubeconfigData_CarriesItsKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = SelfSigned(key);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Kubeconfig("https://127.0.0.1:6443", null, CertificateUser(issued, key))));

        using var certificate = KubernetesApiClient.ClientCertificate(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));

        Assert.NotNull(certificate);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(issued.Thumbprint, certificate.Thumbprint);
    }

    private static X509Certificate2 SelfSigned(ECDsa key) =>
        new CertificateRequest("CN=webhook", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>The user's credentials of a kubeconfig: a client certificate and key as inline data, as kubeadm writes them.</summary>
    private static string CertificateUser(X509Certificate2 certificate, ECDsa key) =>
        $"client-certificate-data: {Base64(certificate.ExportCertificatePem())}\n    client-key-data: {Base64(key.ExportPkcs8PrivateKeyPem())}";

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    /// <summary>A kubeconfig for <paramref name="server"/> whose one user has <paramref name="user"/> (YAML lines) as credentials.</summary>
    private static string Kubeconfig(string server, string? caPem, string user)
    {
        var authority = caPem is null ? "" : $"\n    certificate-authority-data: {Base64(caPem)}";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {server}{authority}
            users:
            - name: u
              user:
                {user}
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """;
    }

    private static KubernetesApiClient FromKubeconfig(string yaml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
        return new KubernetesApiClient(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }

    [Fact]
    public void ClientCertificate_TokenOnlyConfiguration_IsNull()
    {
        Assert.Null(KubernetesApiClient.ClientCertificate(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443", AccessToken = "t" }));
    }
}
