using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Authorization;

/// <summary>What a request asks, read off the method and URL as kube-apiserver's request-info resolver reads it.</summary>
public sealed class AuthorizationAttributesTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // method, path?query, expected "verb group resource subresource namespace name" or "path verb"
        { "GET", "/api/v1/namespaces/ns/pods/p", "get| |pods| |ns|p" },
        { "GET", "/api/v1/namespaces/ns/pods", "list| |pods| |ns| " },
        { "GET", "/api/v1/pods", "list| |pods| | | " },
        { "GET", "/api/v1/namespaces/ns/pods?watch=true", "watch| |pods| |ns| " },
        { "GET", "/api/v1/watch/namespaces/ns/pods", "watch| |pods| |ns| " },
        { "GET", "/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp", "list| |pods| |ns|p" },
        { "POST", "/api/v1/namespaces/ns/serviceaccounts/sa/token", "create| |serviceaccounts|token|ns|sa" },
        { "PUT", "/apis/apps/v1/namespaces/ns/deployments/d/status", "update|apps|deployments|status|ns|d" },
        { "PATCH", "/apis/apps/v1/namespaces/ns/deployments/d", "patch|apps|deployments| |ns|d" },
        { "DELETE", "/api/v1/namespaces/ns/configmaps", "deletecollection| |configmaps| |ns| " },
        { "DELETE", "/api/v1/namespaces/ns/configmaps/c", "delete| |configmaps| |ns|c" },
        { "GET", "/api/v1/namespaces/ns", "get| |namespaces| |ns|ns" },
        { "PUT", "/api/v1/namespaces/ns/finalize", "update| |namespaces|finalize|ns|ns" },
        { "GET", "/api/v1/namespaces", "list| |namespaces| | | " },
        { "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", "create|rbac.authorization.k8s.io|clusterroles| | | " },
        { "GET", "/api/v1", "path|get|/api/v1" },
        { "GET", "/apis/apps/v1", "path|get|/apis/apps/v1" },
        { "GET", "/version", "path|get|/version" },
        { "POST", "/healthz", "path|post|/healthz" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FromRequest_MethodAndUrl_GiveUpstreamAttributes(string method, string url, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var parts = url.Split('?');
        context.Request.Path = parts[0];
        context.Request.QueryString = parts.Length > 1 ? new QueryString("?" + parts[1]) : QueryString.Empty;

        var attributes = AuthorizationAttributes.FromRequest(context.Request, UserInfo.Admin);

        var actual = attributes.IsResourceRequest
            ? string.Join('|', new[] { attributes.Verb, attributes.ApiGroup, attributes.Resource, attributes.Subresource, attributes.Namespace, attributes.Name }.Select(v => v.Length == 0 ? " " : v))
            : $"path|{attributes.Verb}|{attributes.Path}";
        Assert.Equal(expected, actual);
    }
}
