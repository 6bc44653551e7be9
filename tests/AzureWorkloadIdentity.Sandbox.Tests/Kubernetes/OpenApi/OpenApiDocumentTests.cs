using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.OpenApi;

/// <summary>
/// Each group-version's OpenAPI v3 document carries its own kinds and every schema they reference (so kubectl can
/// resolve each <c>$ref</c> within the document), and the PATCH operations kubectl 1.27+ looks for.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private KubernetesApiServer _server = null!;
    private RawApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions());
        _api = new RawApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Theory(Timeout = Timeout)]
    [InlineData("api/v1", "io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment")]
    [InlineData("apis/apps/v1", "io.k8s.api.apps.v1.Deployment", "io.k8s.api.core.v1.Pod")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "io.k8s.api.rbac.v1.ClusterRoleBinding", "io.k8s.api.core.v1.PodSpec")]
    [InlineData("apis/admissionregistration.k8s.io/v1", "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration", "io.k8s.api.batch.v1.Job")]
    public async Task GroupVersionDocument_Fetched_HoldsItsKindsAndEveryReferencedSchemaOnly(string groupVersion, string kind, string absent)
    {
        var (_, index) = await _api.GetAsync("/openapi/v3");
        var url = index!["paths"]![groupVersion]!["serverRelativeURL"]!.GetValue<string>();
        var (code, document) = await _api.GetAsync(url);

        Assert.Equal(200, code);
        var schemas = document!["components"]!["schemas"]!.AsObject();
        Assert.True(schemas.ContainsKey(kind), $"{kind} is missing from {groupVersion}");
        Assert.False(schemas.ContainsKey(absent), $"{absent} is not of {groupVersion} nor referenced by its kinds");
        var unresolved = References(schemas).Where(r => !schemas.ContainsKey(r)).Distinct().ToList();
        Assert.Empty(unresolved);
        Assert.All(
            document["paths"]!.AsObject().Select(p => p.Value!["patch"]!),
            patch => Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation"));
    }

    [Fact(Timeout = Timeout)]
    public async Task PodDocument_ContainerEnv_HasTheApisDescriptionAndItemReference()
    {
        var (_, document) = await _api.GetAsync("/openapi/v3/api/v1");
        var schemas = document!["components"]!["schemas"]!;

        var pod = schemas["io.k8s.api.core.v1.Pod"]!;
        var env = schemas["io.k8s.api.core.v1.Container"]!["properties"]!["env"]!;

        Assert.Equal("""[{"group":"","kind":"Pod","version":"v1"}]""", pod["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("array", env["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.EnvVar", env["items"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.Equal("List of environment variables to set in the container. Cannot be updated.", env["description"]!.GetValue<string>());
    }

    [Fact(Timeout = Timeout)]
    public async Task DocumentList_Hash_NamesTheSchemasVersion()
    {
        var (_, index) = await _api.GetAsync("/openapi/v3");

        var url = index!["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();

        Assert.Matches(@"^/openapi/v3/api/v1\?hash=[0-9]+-[0-9a-f]{16}$", url);
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref"
            ? [p.Value!.GetValue<string>()["#/components/schemas/".Length..]]
            : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
