using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Sandbox.Primitives;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Webhook.Tests.KubernetesApi;

/// <summary>A permission the API server refuses is logged once per verb and resource, naming what to grant.</summary>
public sealed class ForbiddenLogTests
{
    private const int Timeout = 30_000;
    private const string User = "system:serviceaccount:azure-workload-identity-system:azure-wi-webhook-admin";

    [Fact(Timeout = Timeout)]
    public async Task Refusal_RbacMessage_LoggedOncePerVerbAndResourceWithTheFix()
    {
        using var tls = SandboxTls.Create();
        await using var server = await LoopbackHttpsServer.StartAsync(tls, app =>
        {
            app.MapGet("/api/v1/namespaces/wi/secrets/cert", () => Forbidden($"secrets \"cert\" is forbidden: User \"{User}\" cannot get resource \"secrets\" in API group \"\" in the namespace \"wi\""));
            app.MapPut("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/wh", () => Forbidden(
                $"mutatingwebhookconfigurations.admissionregistration.k8s.io \"wh\" is forbidden: User \"{User}\" cannot update resource \"mutatingwebhookconfigurations\" in API group \"admissionregistration.k8s.io\" at the cluster scope"));
        });
        var logger = new RecordingLogger();
        using var client = Client(server.BaseUri, tls, logger);
        var secret = KubernetesApiClient.Path("api", "v1", "namespaces", "wi", "secrets", "cert");
        var configuration = KubernetesApiClient.Path("apis", "admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "wh");

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.GetAsync(secret, KubernetesApiJsonContext.Default.V1Secret, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        }

        await Assert.ThrowsAsync<HttpOperationException>(() => client.ReplaceAsync(
            configuration, new V1MutatingWebhookConfiguration { Metadata = new V1ObjectMeta { Name = "wh" } }, KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration, CancellationToken.None));

        Assert.Collection(
            logger.Lines,
            line => Assert.StartsWith("Error 5001 the API server refused get on secrets (HTTP 403): the webhook's ClusterRole/Role needs get on secrets;", line, StringComparison.Ordinal),
            line => Assert.StartsWith(
                "Error 5001 the API server refused update on mutatingwebhookconfigurations.admissionregistration.k8s.io (HTTP 403): the webhook's ClusterRole/Role needs update on mutatingwebhookconfigurations.admissionregistration.k8s.io;",
                line, StringComparison.Ordinal));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("/api/v1/serviceaccounts", "watch=true", "watch on serviceaccounts")]
    [InlineData("/api/v1/serviceaccounts", "limit=500", "list on serviceaccounts")]
    [InlineData("/api/v1/namespaces/wi/secrets/cert", null, "get on secrets")]
    [InlineData("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", "fieldSelector=metadata.name%3Dwh&watch=true", "watch on mutatingwebhookconfigurations.admissionregistration.k8s.io")]
    public async Task Refusal_OtherMessage_VerbAndResourceReadFromTheRequest(string path, string? query, string expected)
    {
        using var tls = SandboxTls.Create();
        await using var server = await LoopbackHttpsServer.StartAsync(tls, app => app.MapGet("/{**path}", () => Forbidden("denied by a policy")));
        var logger = new RecordingLogger();
        using var client = Client(server.BaseUri, tls, logger);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, path + (query is null ? "" : "?" + query)));

        await Assert.ThrowsAsync<HttpOperationException>(() => client.OpenAsync(request, CancellationToken.None));

        var line = Assert.Single(logger.Lines);
        Assert.Contains($"refused {expected} (HTTP 403): the webhook's ClusterRole/Role needs {expected};", line, StringComparison.Ordinal);
        Assert.EndsWith("denied by a policy", line, StringComparison.Ordinal);
    }

    private static IResult Forbidden(string message) => Results.Json(
        new { kind = "Status", apiVersion = "v1", status = "Failure", message, reason = "Forbidden", code = 403 }, statusCode: 403);

    private static KubernetesApiClient Client(Uri server, SandboxTls tls, RecordingLogger logger) => new(
        new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            AccessToken = "t",
            SslCaCerts = [X509Certificate2.CreateFromPem(tls.CaPem)],
        },
        logger);
}
