using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Authorization;

/// <summary>
/// RBAC as kube-apiserver enforces it, through KubernetesClient with TokenRequest-issued tokens: Roles and bindings
/// allow, everything else is a 403 whose message has the upstream shape; bootstrap roles give discovery and self
/// reviews; impersonation needs the impersonate verb; access reviews answer for the caller or a named subject.
/// </summary>
public sealed class RbacEnforcementTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private RbacWorld _world = null!;

    public async Task InitializeAsync() => _world = await RbacWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccount_AllowedByRole_ListsAndCreatesConfigMaps()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "configmaps", ["get", "list", "create"], [""], ["configmaps"]);
        _world.Bind("team", "app-configmaps", "Role", "configmaps", "team", "app");

        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "team");
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("team");

        Assert.Contains(list.Items, c => c.Metadata.Name == "settings");
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccount_WithoutGrant_GetSecretIs403WithUpstreamMessageAndDetails()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "configmaps", ["get"], [""], ["configmaps"]);
        _world.Bind("team", "app-configmaps", "Role", "configmaps", "team", "app");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("creds", "team"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal(
            "secrets \"creds\" is forbidden: User \"system:serviceaccount:team:app\" cannot get resource \"secrets\" in API group \"\" in the namespace \"team\"",
            status["message"]!.GetValue<string>());
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal(403, status["code"]!.GetValue<int>());
        Assert.Equal("creds", status["details"]!["name"]!.GetValue<string>());
        Assert.Equal("secrets", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task RoleInOneNamespace_ListAcrossAllNamespaces_Is403AtTheClusterScope()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "pods", ["list", "watch"], [""], ["pods"]);
        _world.Bind("team", "app-pods", "Role", "pods", "team", "app");

        await client.CoreV1.ListNamespacedPodAsync("team");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListPodForAllNamespacesAsync());
        var other = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("elsewhere"));

        Assert.Equal(
            "pods is forbidden: User \"system:serviceaccount:team:app\" cannot list resource \"pods\" in API group \"\" at the cluster scope",
            JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, other.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClusterRoleBoundByRoleBinding_GrantsOnlyInThatNamespace_AndClusterRoleBindingEverywhere()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role(null, "deployment-reader", ["get", "list"], ["apps"], ["deployments"]);
        _world.Bind("team", "read-here", "ClusterRole", "deployment-reader", "team", "app");

        await client.AppsV1.ListNamespacedDeploymentAsync("team");
        var before = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ListDeploymentForAllNamespacesAsync());
        _world.Bind(null, "read-everywhere", "ClusterRole", "deployment-reader", "team", "app");
        await client.AppsV1.ListDeploymentForAllNamespacesAsync();

        Assert.Equal(
            "deployments.apps is forbidden: User \"system:serviceaccount:team:app\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope",
            JsonNode.Parse(before.Response.Content)!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task ResourceNames_AllowOnlyTheNamedObject()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "one-secret", ["get"], [""], ["secrets"], ["allowed"]);
        _world.Bind("team", "app-one-secret", "Role", "one-secret", "team", "app");
        foreach (var name in new[] { "allowed", "other" })
        {
            await _world.Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name } }, "team");
        }

        await client.CoreV1.ReadNamespacedSecretAsync("allowed", "team");
        var other = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("other", "team"));
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedSecretAsync("team"));

        Assert.Equal(HttpStatusCode.Forbidden, other.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Subresource_NeedsItsOwnRule()
    {
        _world.Store.EnsureNamespaceExists("team");
        var token = await _world.TokenAsync("team", "app");
        await _world.TokenAsync("team", "other");
        using var client = _world.ClientWith(token);
        _world.Role("team", "accounts", ["get", "create"], [""], ["serviceaccounts"]);
        _world.Bind("team", "app-accounts", "Role", "accounts", "team", "app");

        await client.CoreV1.ReadNamespacedServiceAccountAsync("other", "team");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "other", "team"));

        Assert.Equal(
            "serviceaccounts \"other\" is forbidden: User \"system:serviceaccount:team:app\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"team\"",
            JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task BindingChanges_TakeEffectOnTheNextRequest()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "configmaps", ["list"], [""], ["configmaps"]);
        _world.Bind("team", "app-configmaps", "Role", "configmaps", "team", "app");
        await client.CoreV1.ListNamespacedConfigMapAsync("team");

        _world.Store.Delete(RbacWorld.Type("rolebindings", true), "team", "app-configmaps");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("team"));
        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task BindingToMissingRole_Denies_AndTheReasonNamesTheRole()
    {
        using var client = _world.ClientWith(await _world.TokenAsync("team", "app"));
        _world.Bind("team", "app-ghost", "Role", "ghost", "team", "app");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("team"));

        Assert.EndsWith(
            "in the namespace \"team\": RBAC: role.rbac.authorization.k8s.io \"ghost\" not found",
            JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ServiceAccount_BootstrapRoles_AllowDiscoveryVersionOpenApiAndIssuer()
    {
        using var http = _world.HttpWith(await _world.TokenAsync("team", "app"));

        foreach (var path in new[] { "/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/openapi/v3", "/.well-known/openid-configuration", "/openid/v1/jwks" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Equal("forbidden: User \"system:serviceaccount:team:app\" cannot get path \"/metrics\"", JsonNode.Parse(await metrics.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task BootstrapPolicy_IsStoredWithTheUpstreamLabels()
    {
        var roles = await _world.Admin.RbacAuthorizationV1.ListClusterRoleAsync();
        var bindings = await _world.Admin.RbacAuthorizationV1.ListClusterRoleBindingAsync();

        Assert.Contains(roles.Items, r => r.Metadata.Name == "system:discovery" && r.Metadata.Labels["kubernetes.io/bootstrapping"] == "rbac-defaults");
        var admin = Assert.Single(bindings.Items, b => b.Metadata.Name == "cluster-admin");
        Assert.Equal("system:masters", Assert.Single(admin.Subjects).Name);
    }

    [Fact(Timeout = Timeout)]
    public async Task Impersonation_WithoutTheImpersonateVerb_Is403()
    {
        using var http = _world.HttpWith(await _world.TokenAsync("team", "app"));
        http.DefaultRequestHeaders.Add("Impersonate-User", "jane");

        using var response = await http.GetAsync(new Uri("/api/v1/namespaces/team/pods", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            "users \"jane\" is forbidden: User \"system:serviceaccount:team:app\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Impersonation_OfAServiceAccount_WithTheVerb_RunsAsThatAccount()
    {
        await _world.TokenAsync("team", "target");
        using var http = _world.HttpWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "impersonate-target", ["impersonate"], [""], ["serviceaccounts"], ["target"]);
        _world.Bind("team", "app-impersonates", "Role", "impersonate-target", "team", "app");
        http.DefaultRequestHeaders.Add("Impersonate-User", "system:serviceaccount:team:target");

        var user = await PostReviewAsync(http, "authentication.k8s.io", "selfsubjectreviews", new JsonObject());

        Assert.Equal("system:serviceaccount:team:target", user["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal(
            ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"],
            user["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Impersonation_GroupWithoutUser_Is400NamingTheFix()
    {
        using var http = _world.HttpWith(_world.Server.BearerToken);
        http.DefaultRequestHeaders.Add("Impersonate-Group", "system:masters");

        using var response = await http.GetAsync(new Uri("/api", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("without Impersonate-User", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task SelfSubjectAccessReview_AsImpersonatedAccount_AnswersForThatAccount()
    {
        await _world.TokenAsync("team", "app");
        _world.Role("team", "configmaps", ["get"], [""], ["configmaps"]);
        _world.Bind("team", "app-configmaps", "Role", "configmaps", "team", "app");
        using var http = _world.HttpWith(_world.Server.BearerToken);
        http.DefaultRequestHeaders.Add("Impersonate-User", "system:serviceaccount:team:app");

        var allowed = await PostReviewAsync(http, "authorization.k8s.io", "selfsubjectaccessreviews", Spec("get", "configmaps", "team"));
        var denied = await PostReviewAsync(http, "authorization.k8s.io", "selfsubjectaccessreviews", Spec("get", "secrets", "team"));

        Assert.True(allowed["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal(
            "RBAC: allowed by RoleBinding \"app-configmaps/team\" of Role \"configmaps\" to ServiceAccount \"app/team\"",
            allowed["status"]!["reason"]!.GetValue<string>());
        Assert.False(denied["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact(Timeout = Timeout)]
    public async Task SelfSubjectRulesReview_ListsTheRulesOfTheCallersBindings()
    {
        using var http = _world.HttpWith(await _world.TokenAsync("team", "app"));
        _world.Role("team", "configmaps", ["get", "list"], [""], ["configmaps"]);
        _world.Bind("team", "app-configmaps", "Role", "configmaps", "team", "app");

        var review = await PostReviewAsync(http, "authorization.k8s.io", "selfsubjectrulesreviews", new JsonObject { ["namespace"] = "team" });

        var rules = review["status"]!["resourceRules"]!.AsArray();
        Assert.Contains(rules, r => r!["resources"]![0]!.GetValue<string>() == "configmaps" && r["verbs"]!.AsArray().Count == 2);
        Assert.Contains(rules, r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() == "selfsubjectaccessreviews"));
        Assert.Contains(review["status"]!["nonResourceRules"]!.AsArray(), r => r!["nonResourceURLs"]!.AsArray().Any(u => u!.GetValue<string>() == "/api/*"));
    }

    [Fact(Timeout = Timeout)]
    public async Task SubjectAccessReview_EvaluatesTheNamedUserAndGroups()
    {
        using var http = _world.HttpWith(_world.Server.BearerToken);

        var masters = await PostReviewAsync(http, "authorization.k8s.io", "subjectaccessreviews", new JsonObject
        {
            ["user"] = "jane",
            ["groups"] = new JsonArray("system:masters"),
            ["resourceAttributes"] = new JsonObject { ["verb"] = "delete", ["resource"] = "nodes" },
        });
        var nobody = await PostReviewAsync(http, "authorization.k8s.io", "subjectaccessreviews", new JsonObject
        {
            ["user"] = "jane",
            ["resourceAttributes"] = new JsonObject { ["verb"] = "get", ["resource"] = "pods", ["namespace"] = "team" },
        });

        Assert.True(masters["status"]!["allowed"]!.GetValue<bool>());
        Assert.False(nobody["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact(Timeout = Timeout)]
    public async Task SubjectAccessReview_ByAServiceAccountWithoutGrant_Is403()
    {
        using var http = _world.HttpWith(await _world.TokenAsync("team", "app"));

        using var response = await http.PostAsync(
            new Uri("/apis/authorization.k8s.io/v1/subjectaccessreviews", UriKind.Relative),
            new StringContent("""{"spec":{"user":"jane","nonResourceAttributes":{"verb":"get","path":"/"}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static JsonObject Spec(string verb, string resource, string ns) => new()
    {
        ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["resource"] = resource, ["namespace"] = ns },
    };

    private static async Task<JsonNode> PostReviewAsync(HttpClient http, string group, string resource, JsonObject spec)
    {
        using var response = await http.PostAsync(
            new Uri($"/apis/{group}/v1/{resource}", UriKind.Relative),
            new StringContent(new JsonObject { ["spec"] = spec }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!;
    }
}
