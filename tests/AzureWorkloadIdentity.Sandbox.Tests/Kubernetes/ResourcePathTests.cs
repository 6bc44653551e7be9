using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public class ResourcePathTests
{
    [Theory]
    [InlineData("/api/v1/serviceaccounts", "", "v1", null, "serviceaccounts", null, null)]
    [InlineData("/api/v1/namespaces", "", "v1", null, "namespaces", null, null)]
    [InlineData("/api/v1/namespaces/demo", "", "v1", null, "namespaces", "demo", null)]
    [InlineData("/api/v1/namespaces/demo/status", "", "v1", null, "namespaces", "demo", "status")]
    [InlineData("/api/v1/namespaces/demo/pods", "", "v1", "demo", "pods", null, null)]
    [InlineData("/api/v1/namespaces/demo/serviceaccounts/sa", "", "v1", "demo", "serviceaccounts", "sa", null)]
    [InlineData("/api/v1/namespaces/demo/serviceaccounts/sa/token", "", "v1", "demo", "serviceaccounts", "sa", "token")]
    [InlineData("/apis/apps/v1/namespaces/demo/deployments/web", "apps", "v1", "demo", "deployments", "web", null)]
    [InlineData("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/m", "admissionregistration.k8s.io", "v1", null, "mutatingwebhookconfigurations", "m", null)]
    public void TryParse_ResourceUrl_SplitsParts(string url, string group, string version, string? ns, string resource, string? name, string? sub)
    {
        Assert.True(ResourcePath.TryParse(url, out var path));
        Assert.Equal(new ResourcePath(group, version, ns, resource, name, sub), path);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api")]
    [InlineData("/apis/apps")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/namespaces/a/pods/b/c/d")]
    public void TryParse_NotAResourceUrl_ReturnsFalse(string url) => Assert.False(ResourcePath.TryParse(url, out _));
}
