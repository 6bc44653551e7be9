using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Authorization;

/// <summary>
/// Who a request is: the admin's kubeconfig token, a TokenRequest-issued service-account token (checked as
/// kube-apiserver checks it), or nobody — a 401 with kube-apiserver's body.
/// </summary>
public sealed class RequestAuthenticationTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private const string Unauthorized = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";
    private RbacWorld _world = null!;

    public async Task InitializeAsync() => _world = await RbacWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory(Timeout = Timeout)]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")]
    public async Task Request_WithoutAValidToken_Is401WithUpstreamStatus(string? token)
    {
        using var http = _world.HttpWith(token);

        using var response = await http.GetAsync(new Uri("/api/v1/namespaces/default/pods", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Unauthorized, await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task AdminToken_IsKubernetesAdminInSystemMasters()
    {
        var review = await WhoAmIAsync(_world.Server.BearerToken);

        Assert.Equal("kubernetes-admin", review["username"]!.GetValue<string>());
        Assert.Equal(["system:masters", "system:authenticated"], review["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_BoundToAPod_IsTheAccountWithItsGroupsAndPod()
    {
        await CreatePodAsync("apps", "web");
        var token = await _world.TokenAsync("apps", "app", boundPod: "web");

        var user = await WhoAmIAsync(token);

        Assert.Equal("system:serviceaccount:apps:app", user["username"]!.GetValue<string>());
        Assert.Equal(_world.Store.Get(ResourceCatalog.ServiceAccounts, "apps", "app").Uid, user["uid"]!.GetValue<string>());
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:apps", "system:authenticated"], user["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("web", user["extra"]!["authentication.kubernetes.io/pod-name"]![0]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_ForAnotherAudience_Is401()
    {
        var token = await _world.TokenAsync("apps", "app", audience: "api://AzureADTokenExchange");

        await AssertUnauthorizedAsync(token);
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_AfterItExpires_Is401()
    {
        var token = await _world.TokenAsync("apps", "app");
        await WhoAmIAsync(token);

        _world.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await AssertUnauthorizedAsync(token);
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_AccountDeletedAndRecreated_Is401()
    {
        var token = await _world.TokenAsync("apps", "app");
        await WhoAmIAsync(token);

        _world.Store.Delete(ResourceCatalog.ServiceAccounts, "apps", "app");
        _world.Store.Create(ResourceCatalog.ServiceAccounts, "apps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "app" } });

        await AssertUnauthorizedAsync(token);
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_BoundPodDeleted_Is401()
    {
        await CreatePodAsync("apps", "web");
        var token = await _world.TokenAsync("apps", "app", boundPod: "web");
        await WhoAmIAsync(token);

        _world.Store.Delete(ResourceCatalog.Pods, "apps", "web");

        await AssertUnauthorizedAsync(token);
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccountToken_SignedByAnotherKey_Is401()
    {
        await using var other = await RbacWorld.StartAsync();
        var foreign = await other.TokenAsync("apps", "app");
        await _world.TokenAsync("apps", "app");

        await AssertUnauthorizedAsync(foreign);
    }

    [Fact(Timeout = Timeout)]
    public async Task KubernetesClient_WithUnknownToken_Gets401()
    {
        using var client = _world.ClientWith("not-a-token");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("default"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task AnonymousAuth_NoToken_IsSystemAnonymousLeftToRbac()
    {
        await using var world = await RbacWorld.StartAsync(anonymous: true);
        using var http = world.HttpWith(null);

        using var version = await http.GetAsync(new Uri("/version", UriKind.Relative));
        using var api = await http.GetAsync(new Uri("/api", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/api\"", JsonNode.Parse(await api.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    private async Task CreatePodAsync(string ns, string name)
    {
        _world.Store.EnsureNamespaceExists(ns);
        await _world.Admin.CoreV1.CreateNamespacedPodAsync(
            new k8s.Models.V1Pod { Metadata = new k8s.Models.V1ObjectMeta { Name = name }, Spec = new k8s.Models.V1PodSpec { Containers = [new k8s.Models.V1Container { Name = "c", Image = "i" }] } }, ns);
    }

    private async Task<JsonNode> WhoAmIAsync(string token)
    {
        using var http = _world.HttpWith(token);
        using var response = await http.PostAsync(
            new Uri("/apis/authentication.k8s.io/v1/selfsubjectreviews", UriKind.Relative),
            new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["status"]!["userInfo"]!;
    }

    private async Task AssertUnauthorizedAsync(string token)
    {
        using var http = _world.HttpWith(token);
        using var response = await http.GetAsync(new Uri("/api", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Unauthorized, await response.Content.ReadAsStringAsync());
    }
}
