using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>
/// Bad requests get the Status kube-apiserver gives — same code and reason, a message naming the problem — and
/// never a 500.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private KubernetesApiServer _server = null!;
    private RawApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner(), RequireNamespaces = true });
        _api = new RawApiClient(_server);
        await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"demo"}}""");
        await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"c"}}""");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Theory(Timeout = Timeout)]
    [InlineData("GET", "/api/v1/namespaces/demo/widgets", null, null, 404, "NotFound", "the server could not find the requested resource")]
    [InlineData("POST", "/apis/apps/v1/namespaces/demo/gizmos", "{}", "application/json", 404, "NotFound", "no resource \"gizmos\" in apps/v1")]
    [InlineData("GET", "/apis/apps/v1/namespaces/demo/deployments/web/rollback", null, null, 404, "NotFound", "deployments/rollback")]
    [InlineData("POST", "/api/v1/namespaces/demo/configmaps", "{\"metadata\":{\"name\":", "application/json", 400, "BadRequest", "not valid JSON")]
    [InlineData("POST", "/api/v1/namespaces/demo/configmaps", "[1,2]", "application/json", 400, "BadRequest", "must be a JSON object")]
    [InlineData("POST", "/api/v1/namespaces/demo/configmaps", "name: c", "text/plain", 415, "UnsupportedMediaType", "accepted media types include: application/json")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/configmaps/c", "{}", "text/plain", 415, "UnsupportedMediaType", "application/merge-patch+json")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/configmaps/c", "{}", "application/apply-patch+yaml", 415, "UnsupportedMediaType", "without --server-side")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/configmaps/c", "{\"data\":", "application/merge-patch+json", 400, "BadRequest", "not valid JSON")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/configmaps/c", "[{\"op\":\"replace\",\"path\":\"/nothing/here\",\"value\":1}]", "application/json-patch+json", 422, "Invalid", "could not be applied")]
    [InlineData("POST", "/api/v1/namespaces/absent/configmaps", "{\"metadata\":{\"name\":\"c\"}}", "application/json", 404, "NotFound", "namespaces \"absent\" not found")]
    [InlineData("GET", "/api/v1/namespaces/demo/configmaps?labelSelector=team%20in%20(red", null, null, 400, "BadRequest", "label selector")]
    [InlineData("GET", "/api/v1/namespaces/demo/configmaps?fieldSelector=metadata.name", null, null, 400, "BadRequest", "field selector")]
    [InlineData("PUT", "/api/v1/namespaces/demo/configmaps/c", "{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"1\"}}", "application/json", 409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again")]
    [InlineData("PUT", "/api/v1/namespaces/demo/configmaps/c", "{\"metadata\":{\"name\":\"other\"}}", "application/json", 400, "BadRequest", "does not match the name on the URL")]
    [InlineData("GET", "/api/v1/namespaces/demo/configmaps?watch=true&resourceVersion=abc", null, null, 400, "BadRequest", "invalid resource version")]
    [InlineData("DELETE", "/api/v1/namespaces/demo/configmaps/c?propagationPolicy=Sometimes", null, null, 422, "Invalid", "propagationPolicy: Unsupported value")]
    [InlineData("DELETE", "/api/v1/namespaces/demo/configmaps/c?gracePeriodSeconds=soon", null, null, 400, "BadRequest", "gracePeriodSeconds")]
    [InlineData("POST", "/api/v1/namespaces/demo/configmaps/c", "{}", "application/json", 405, "MethodNotAllowed", "does not allow this method")]
    public async Task Request_BadInput_AnswersKubernetesStatus(string method, string path, string? body, string? contentType, int code, string reason, string message)
    {
        var (actual, status) = await _api.SendAsync(new HttpMethod(method), path, body, contentType);

        Assert.Equal(code, actual);
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        Assert.Contains(message, status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
