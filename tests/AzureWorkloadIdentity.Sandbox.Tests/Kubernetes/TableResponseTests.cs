using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class TableResponseTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private const string TableV1 = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private KubernetesApiServer _server = null!;
    private RawApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() });
        _api = new RawApiClient(_server);
        await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"demo"}}""");
        await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"c"},"data":{"a":"1","b":"2"}}""");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Theory(Timeout = Timeout)]
    [InlineData(TableV1, "meta.k8s.io/v1")]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json", "meta.k8s.io/v1beta1")]
    public async Task List_AcceptTable_ReturnsTableOfThatVersionWithPartialMetadata(string accept, string apiVersion)
    {
        var (code, table) = await _api.GetAsync("/api/v1/namespaces/demo/configmaps", accept);

        Assert.Equal(200, code);
        Assert.Equal("Table", table!["kind"]!.GetValue<string>());
        Assert.Equal(apiVersion, table["apiVersion"]!.GetValue<string>());
        Assert.Equal(["Name", "Data", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        // Two rows: "c" and the namespace's kube-root-ca.crt (in every namespace, as on a real cluster).
        var rows = table["rows"]!.AsArray();
        Assert.Equal(["c", "kube-root-ca.crt"], rows.Select(r => r!["cells"]![0]!.GetValue<string>()).Order());
        var row = rows.Single(r => r!["cells"]![0]!.GetValue<string>() == "c")!;
        Assert.Equal(2, row["cells"]![1]!.GetValue<int>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("c", row["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(row["object"]!["data"]);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Object", "ConfigMap")]
    [InlineData("None", null)]
    public async Task Get_IncludeObject_EmbedsWhatWasAsked(string include, string? kind)
    {
        var (_, table) = await _api.GetAsync("/api/v1/namespaces/demo/configmaps/c?includeObject=" + include, TableV1);

        var row = Assert.Single(table!["rows"]!.AsArray())!;
        Assert.Equal(kind, row["object"]?["kind"]?.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task List_UnknownKind_GetsNameAndCreatedAtColumns()
    {
        await _api.SendAsync(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/demo/leases", """{"metadata":{"name":"lock"}}""");

        var (_, table) = await _api.GetAsync("/apis/coordination.k8s.io/v1/namespaces/demo/leases", TableV1);

        Assert.Equal(["Name", "Created At"], table!["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("date", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("application/json;as=Table;v=v2;g=meta.k8s.io", 406, "NotAcceptable")]
    [InlineData(TableV1, 400, "BadRequest")]
    public async Task Get_UnservableTableRequest_AnswersStatus(string accept, int code, string reason)
    {
        var path = "/api/v1/namespaces/demo/configmaps" + (code == 400 ? "?includeObject=Everything" : string.Empty);

        var (actual, status) = await _api.GetAsync(path, accept);

        Assert.Equal(code, actual);
        Assert.Equal(reason, status!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(192, "3m12s")]
    [InlineData(600, "10m")]
    [InlineData(5 * 3600 + 120, "5h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(40 * 86400, "40d")]
    public void Format_Durations_RoundLikeKubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
