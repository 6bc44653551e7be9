using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class KubernetesApiServerTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private readonly FakeTokenSigner _signer = new();
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = _signer });
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateServiceAccount_ThenRead_ReturnsObjectWithServerMetadata()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa", ("azure.workload.identity/use", "true")), "demo");
        var read = await _client.CoreV1.ReadNamespacedServiceAccountAsync("sa", "demo");

        Assert.Equal("sa", read.Metadata.Name);
        Assert.Equal("demo", read.Metadata.NamespaceProperty);
        Assert.Equal("true", read.Metadata.Labels["azure.workload.identity/use"]);
        Assert.False(string.IsNullOrEmpty(read.Metadata.Uid));
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(1, _server.Requests.Count("get", "serviceaccounts"));
        Assert.Equal(1, _server.Requests.Count("create", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateInNewNamespace_CreatesNamespaceAndDefaultServiceAccount()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "fresh");

        var ns = await _client.CoreV1.ReadNamespaceAsync("fresh");
        var account = await _client.CoreV1.ReadNamespacedServiceAccountAsync("default", "fresh");
        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal("default", account.Metadata.Name);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_Missing_Returns404Status()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedServiceAccountAsync("nope", "demo"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal(404, status["code"]!.GetValue<int>());
        Assert.Equal("serviceaccounts \"nope\" not found", status["message"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa"), "demo");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa"), "demo"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("AlreadyExists", JsonNode.Parse(error.Response.Content)!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_WithoutName_Returns422Invalid()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta() }, "demo"));

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_WithGenerateName_GeneratesName()
    {
        var created = await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { GenerateName = "token-" } }, "demo");

        Assert.StartsWith("token-", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(11, created.Metadata.Name.Length);
    }

    [Fact(Timeout = Timeout)]
    public async Task Replace_WithStaleResourceVersion_Returns409Conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa"), "demo");
        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        var updated = await _client.CoreV1.ReplaceNamespacedServiceAccountAsync(created, "sa", "demo");
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        created.Metadata.Labels["a"] = "2";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedServiceAccountAsync(created, "sa", "demo"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", JsonNode.Parse(error.Response.Content)!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Patch_MergeAndStrategicAndJsonPatch_ChangeObject()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa", ("keep", "yes"), ("drop", "yes")), "demo");

        await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"metadata":{"labels":{"drop":null,"added":"m"}}}""", V1Patch.PatchType.MergePatch), "sa", "demo");
        await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"metadata":{"annotations":{"azure.workload.identity/client-id":"c"}}}""", V1Patch.PatchType.StrategicMergePatch), "sa", "demo");
        var result = await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""[{"op":"add","path":"/metadata/labels/azure.workload.identity~1use","value":"true"}]""", V1Patch.PatchType.JsonPatch), "sa", "demo");

        Assert.Equal(
            new Dictionary<string, string> { ["keep"] = "yes", ["added"] = "m", ["azure.workload.identity/use"] = "true" },
            result.Metadata.Labels);
        Assert.Equal("c", result.Metadata.Annotations["azure.workload.identity/client-id"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Patch_JsonPatchThatFails_Returns422()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa"), "demo");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""[{"op":"remove","path":"/metadata/labels/missing"}]""", V1Patch.PatchType.JsonPatch), "sa", "demo"));

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_WithLabelAndFieldSelectors_FiltersAndSorts()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("b", ("azure.workload.identity/use", "true")), "x");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("a", ("azure.workload.identity/use", "true")), "y");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("c"), "x");

        var labelled = await _client.CoreV1.ListServiceAccountForAllNamespacesAsync(labelSelector: "azure.workload.identity/use=true");
        var byName = await _client.CoreV1.ListNamespacedServiceAccountAsync("x", fieldSelector: "metadata.name=c");

        Assert.Equal(["x/b", "y/a"], labelled.Items.Select(i => i.Metadata.NamespaceProperty + "/" + i.Metadata.Name));
        Assert.Equal("c", Assert.Single(byName.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(labelled.Metadata.ResourceVersion));
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Owner_DeletesDependents()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1DeploymentSpec() }, "demo");
        var owner = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = deployment.Metadata.Uid };
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(
            new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "web-1", OwnerReferences = [owner] } }, "demo");

        await _client.AppsV1.DeleteNamespacedDeploymentAsync("web", "demo");

        Assert.Empty((await _client.AppsV1.ListNamespacedReplicaSetAsync("demo")).Items);
        Assert.Empty((await _client.AppsV1.ListNamespacedDeploymentAsync("demo")).Items);
    }

    [Fact(Timeout = Timeout)]
    public async Task CustomResources_ClusterAndNamespaced_AreServedGenerically()
    {
        var identity = new JsonObject
        {
            ["apiVersion"] = "aadpodidentity.k8s.io/v1",
            ["kind"] = "AzureIdentity",
            ["metadata"] = new JsonObject { ["name"] = "id" },
            ["spec"] = new JsonObject { ["type"] = 0, ["clientID"] = "c" },
        };
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(identity, "aadpodidentity.k8s.io", "v1", "demo", "azureidentities");
        await _client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(
            new V1MutatingWebhookConfiguration { Metadata = new V1ObjectMeta { Name = "mwc" } });
        var widget = new JsonObject { ["kind"] = "Widget", ["apiVersion"] = "example.com/v1", ["metadata"] = new JsonObject { ["name"] = "w" } };
        await _client.CustomObjects.CreateClusterCustomObjectAsync(widget, "example.com", "v1", "widgets");

        var identities = JsonNode.Parse(((System.Text.Json.JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync("aadpodidentity.k8s.io", "v1", "demo", "azureidentities")).GetRawText())!;
        var configurations = await _client.AdmissionregistrationV1.ListMutatingWebhookConfigurationAsync();
        var widgets = JsonNode.Parse(((System.Text.Json.JsonElement)await _client.CustomObjects.ListClusterCustomObjectAsync("example.com", "v1", "widgets")).GetRawText())!;

        Assert.Equal("AzureIdentityList", identities["kind"]!.GetValue<string>());
        Assert.Equal("c", identities["items"]![0]!["spec"]!["clientID"]!.GetValue<string>());
        Assert.Equal("mwc", Assert.Single(configurations.Items).Metadata.Name);
        Assert.Null(configurations.Items[0].Metadata.NamespaceProperty);
        Assert.Equal("WidgetList", widgets["kind"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_FromListVersion_StreamsAddedModifiedDeleted()
    {
        _server.Store.EnsureNamespaceExists("demo");
        var list = await _client.CoreV1.ListNamespacedServiceAccountAsync("demo");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, sa) in _client.CoreV1.WatchListNamespacedServiceAccountAsync(
                "demo", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancel.Token))
            {
                events.Add((type, sa.Metadata.Name));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("w"), "demo");
        await _client.CoreV1.PatchNamespacedServiceAccountAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "w", "demo");
        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("w", "demo");
        await watching;

        Assert.Equal([(WatchEventType.Added, "w"), (WatchEventType.Modified, "w"), (WatchEventType.Deleted, "w")], events);
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_FromCompactedVersion_SendsErrorEventWith410()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAccountAsync("demo");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("w"), "demo");
        _server.Store.CompactHistory();

        Exception? error = null;
        await foreach (var _ in _client.CoreV1.WatchListNamespacedServiceAccountAsync(
            "demo", resourceVersion: list.Metadata.ResourceVersion, onError: e => error = e))
        {
            Assert.Fail("no event expected before the 410 error");
        }

        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_WithTimeoutAndBookmarks_EndsWithBookmark()
    {
        var events = new List<WatchEventType>();
        await foreach (var (type, _) in _client.CoreV1.WatchListServiceAccountForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: "0", timeoutSeconds: 1))
        {
            events.Add(type);
        }

        Assert.Contains(WatchEventType.Added, events);
        Assert.Equal(WatchEventType.Bookmark, events[^1]);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_WithoutServiceAccountName_DefaultsToDefault()
    {
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", serviceAccount: null), "demo");

        Assert.Equal("default", pod.Spec.ServiceAccountName);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_WithMissingServiceAccount_IsForbidden()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "ghost"), "demo"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("serviceaccount \"ghost\" not found", JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task TokenRequest_ForServiceAccount_SignsWithAudiencesAndBoundPod()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount("sa"), "demo");
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "sa"), "demo");

        var response = await _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec
                {
                    Audiences = ["api://AzureADTokenExchange"],
                    ExpirationSeconds = 3600,
                    BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", Name = "p", ApiVersion = "v1", Uid = pod.Metadata.Uid },
                },
            },
            "sa", "demo");

        Assert.Equal("system:serviceaccount:demo:sa|api://AzureADTokenExchange", response.Status.Token);
        var claims = Assert.Single(_signer.Signed);
        Assert.Equal(pod.Metadata.Uid, claims.PodUid);
        Assert.Equal(TimeSpan.FromHours(1), claims.Expires - claims.IssuedAt);
        Assert.NotNull(response.Status.ExpirationTimestamp);
    }

    [Fact(Timeout = Timeout)]
    public async Task TokenRequest_ForMissingServiceAccount_Returns404()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = ["a"] } }, "ghost", "demo"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Discovery_VersionApiApisAndIssuer_AreServed()
    {
        using var http = new HttpClient(_server.CreateTrustingHandler()) { BaseAddress = _server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.BearerToken);

        var version = JsonNode.Parse(await http.GetStringAsync(new Uri("/version", UriKind.Relative)))!;
        var api = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v1", UriKind.Relative)))!;
        var apis = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis", UriKind.Relative)))!;
        var apps = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/apps/v1", UriKind.Relative)))!;
        var openid = JsonNode.Parse(await http.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)))!;
        var jwks = JsonNode.Parse(await http.GetStringAsync(new Uri("/openid/v1/jwks", UriKind.Relative)))!;

        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.Contains(api["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "serviceaccounts");
        Assert.Contains(apis["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "aadpodidentity.k8s.io");
        Assert.Contains(apps["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "deployments");
        Assert.Equal("https://issuer.sandbox.test/cluster", openid["issuer"]!.GetValue<string>());
        Assert.EndsWith("/openid/v1/jwks", openid["jwks_uri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("key-1", jwks["keys"]![0]!["kid"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task WriteKubeconfig_FileLoadsInKubernetesClient_AndConnects()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            _server.WriteKubeconfig(path);
            using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static V1ServiceAccount ServiceAccount(string name, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
    };

    private static V1Pod Pod(string name, string? serviceAccount) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { ServiceAccountName = serviceAccount, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };
}
