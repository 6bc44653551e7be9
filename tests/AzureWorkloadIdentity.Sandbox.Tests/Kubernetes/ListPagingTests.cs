using System.Net;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class ListPagingTests : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Limit_PagesCarryContinueAndTheFirstPagesVersion_TogetherTheWholeList()
    {
        foreach (var ns in new[] { "a", "a-b" })
        {
            for (var i = 0; i < 4; i++)
            {
                await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, ns);
            }
        }

        var whole = await _client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var names = new List<string>();
        var pages = 0;
        string? token = null;
        string? version = null;
        do
        {
            var page = await _client.CoreV1.ListConfigMapForAllNamespacesAsync(continueParameter: token, limit: 3);
            pages++;
            Assert.True(page.Items.Count <= 3);
            version ??= page.Metadata.ResourceVersion;
            Assert.Equal(version, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"));
            token = page.Metadata.ContinueProperty;
        }
        while (token is not null);

        // 8 made here and kube-root-ca.crt in each of the 5 namespaces (default, kube-system, kube-public, a, a-b).
        Assert.Equal(13, whole.Items.Count);
        Assert.Equal(5, pages);
        Assert.Equal(whole.Items.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"), names);
        Assert.Null(whole.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task Continue_NotFromTheServer_Is400SayingWhatToSend()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", continueParameter: "bogus", limit: 2));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Contains("continue key is not valid", error.Response.Content, StringComparison.Ordinal);
    }
}
