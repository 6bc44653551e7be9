using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class DeleteCollectionTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;
    private RawApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() });
        _client = _server.CreateClient();
        _api = new RawApiClient(_server);
        foreach (var (name, team) in new[] { ("a", "red"), ("b", "red"), ("c", "blue") })
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = team } } }, "demo");
        }
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task DeleteCollection_LabelSelector_DeletesMatchesAndListsThem()
    {
        var status = await _client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("demo", labelSelector: "team=red");

        Assert.NotNull(status);
        // kube-root-ca.crt is in every namespace, as on a real cluster, and has no team label.
        Assert.Equal(["c", "kube-root-ca.crt"], _server.Store.List(ConfigMaps, "demo").Items.Select(i => i.Name.Name).Order());
        Assert.Equal(1, _server.Requests.Count("deletecollection", "configmaps"));
    }

    [Fact(Timeout = Timeout)]
    public async Task DeleteCollection_FieldSelectorDryRun_AnswersListAndKeepsEverything()
    {
        var (code, list) = await _api.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/demo/configmaps?fieldSelector=metadata.name%3Db&dryRun=All");

        Assert.Equal(200, code);
        Assert.Equal("ConfigMapList", list!["kind"]!.GetValue<string>());
        Assert.Equal("b", Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["a", "b", "c", "kube-root-ca.crt"], _server.Store.List(ConfigMaps, "demo").Items.Select(i => i.Name.Name).Order());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("POST", "/api/v1/namespaces/demo/configmaps?dryRun=All", """{"metadata":{"name":"d"}}""", "application/json")]
    [InlineData("PUT", "/api/v1/namespaces/demo/configmaps/a?dryRun=All", """{"metadata":{"name":"a"},"data":{"x":"1"}}""", "application/json")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/configmaps/a?dryRun=All", """{"data":{"x":"1"}}""", "application/merge-patch+json")]
    [InlineData("DELETE", "/api/v1/namespaces/demo/configmaps/a?dryRun=All", null, null)]
    [InlineData("DELETE", "/api/v1/namespaces/demo/configmaps?dryRun=All", null, null)]
    public async Task WriteVerb_DryRunAll_AnswersAndStoresNothing(string method, string path, string? body, string? contentType)
    {
        var before = _server.Store.ResourceVersion;

        var (code, answer) = await _api.SendAsync(new HttpMethod(method), path, body, contentType);

        Assert.InRange(code, 200, 201);
        Assert.NotNull(answer);
        Assert.Equal(before, _server.Store.ResourceVersion);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_UnknownDryRunValue_Invalid()
    {
        var (code, status) = await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps?dryRun=Some", """{"metadata":{"name":"d"}}""");

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        Assert.Contains("supported values: \"All\"", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
