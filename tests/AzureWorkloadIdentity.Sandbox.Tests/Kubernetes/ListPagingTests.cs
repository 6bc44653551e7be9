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

    [Fact(Timeout = 30_000)]
    public async Task Limit_NamespaceAndLabelSelector_PagesHoldOnlyThatNamespacesMatchesInOrder()
    {
        foreach (var ns in new[] { "a", "a-b", "b" })
        {
            for (var i = 0; i < 5; i++)
            {
                var labels = new Dictionary<string, string> { ["keep"] = i % 2 == 0 ? "yes" : "no" };
                await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}", Labels = labels } }, ns);
            }
        }

        var first = await _client.CoreV1.ListNamespacedConfigMapAsync("a", labelSelector: "keep=yes", limit: 2);
        var second = await _client.CoreV1.ListNamespacedConfigMapAsync("a", labelSelector: "keep=yes", limit: 2, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(["a/cm-0", "a/cm-2"], first.Items.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"));
        Assert.Equal(["a/cm-4"], second.Items.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"));
        Assert.Null(second.Metadata.ContinueProperty);
    }

    [Fact(Timeout = 30_000)]
    public async Task Continue_ObjectsChangedBetweenPages_LaterPagesShowThemAsTheyAreNow()
    {
        for (var i = 0; i < 6; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" }, Data = new Dictionary<string, string> { ["v"] = "1" } }, "s");
        }

        var first = await _client.CoreV1.ListNamespacedConfigMapAsync("s", limit: 3);
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"2"}}""", V1Patch.PatchType.MergePatch), "cm-4", "s");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm-3a" } }, "s");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("cm-5", "s");
        var second = await _client.CoreV1.ListNamespacedConfigMapAsync("s", limit: 3, continueParameter: first.Metadata.ContinueProperty);
        var whole = await _client.CoreV1.ListNamespacedConfigMapAsync("s");

        Assert.Equal(["cm-0", "cm-1", "cm-2"], first.Items.Select(c => c.Metadata.Name));
        Assert.Equal(["cm-3", "cm-3a", "cm-4"], second.Items.Select(c => c.Metadata.Name));
        Assert.Equal("2", second.Items[2].Data["v"]);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-3a", "cm-4", "kube-root-ca.crt"], whole.Items.Select(c => c.Metadata.Name));
        Assert.Equal("2", whole.Items.Single(c => c.Metadata.Name == "cm-4").Data["v"]);

        // Only a replacement since the last list: the sorted copy is updated in place, not rebuilt.
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"3"}}""", V1Patch.PatchType.MergePatch), "cm-0", "s");
        var again = await _client.CoreV1.ListNamespacedConfigMapAsync("s", limit: 1);
        Assert.Equal(("cm-0", "3"), (again.Items[0].Metadata.Name, again.Items[0].Data["v"]));
    }

    [Fact]
    public async Task Continue_NotFromTheServer_Is400SayingWhatToSend()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", continueParameter: "bogus", limit: 2));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Contains("continue key is not valid", error.Response.Content, StringComparison.Ordinal);
    }
}
