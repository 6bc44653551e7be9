using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Authorization;

/// <summary>Rule matching as kube-apiserver's RBAC authorizer does it, case by case.</summary>
public sealed class PolicyRuleTests
{
    private static readonly UserInfo Someone = UserInfo.ServiceAccount("ns", "sa", "uid");

    public static TheoryData<string, string, bool> ResourceCases => new()
    {
        // rule (verbs|groups|resources|names) ; request (verb group resource subresource name) ; allowed
        { "get|*|pods|", "get||pods||p", true },
        { "get|*|pods|", "list||pods||", false },
        { "*|*|pods|", "deletecollection||pods||", true },
        { "get|apps|deployments|", "get||deployments||d", false },
        { "get||pods|", "get|apps|pods||p", false },
        { "get|*|*|", "get|batch|jobs||j", true },
        { "get|*|pods|", "get||pods|log|p", false },
        { "get|*|pods/log|", "get||pods|log|p", true },
        { "get|*|pods/log|", "get||pods||p", false },
        { "get|*|*/status|", "get|apps|deployments|status|d", true },
        { "get|*|*/status|", "get|apps|deployments|scale|d", false },
        { "get|*|*/status|", "get|apps|deployments||d", false },
        { "get|*|secrets|a,b", "get||secrets||b", true },
        { "get|*|secrets|a,b", "get||secrets||c", false },

        // resourceNames never allow a request that names no object: create, list, watch, deletecollection.
        { "create|*|configmaps|cm", "create||configmaps||", false },
        { "list|*|configmaps|cm", "list||configmaps||", false },
        { "watch|*|configmaps|cm", "watch||configmaps||", false },
        { "deletecollection|*|configmaps|cm", "deletecollection||configmaps||", false },
        { "list|*|configmaps|cm", "list||configmaps||cm", true },
    };

    public static TheoryData<string, string, string, bool> PathCases => new()
    {
        { "get", "/healthz", "/healthz", true },
        { "get", "/healthz", "/healthz/etcd", false },
        { "get", "/api/*", "/api/v1", true },
        { "get", "/api/*", "/api", false },
        { "get", "/apis*", "/apis/apps", true },
        { "get", "*", "/anything", true },
        { "post", "/healthz", "/healthz", false },
    };

    [Theory]
    [MemberData(nameof(ResourceCases))]
    public void Allows_ResourceRequest_MatchesAsUpstream(string rule, string request, bool allowed)
    {
        var r = rule.Split('|');
        var q = request.Split('|');
        var policy = new PolicyRule(List(r[0]), List(r[1], keepEmpty: true), List(r[2]), List(r[3]), []);

        var result = policy.Allows(AuthorizationAttributes.ForResource(Someone, q[0], q[1], q[2], "ns", q[4], q[3]));

        Assert.Equal(allowed, result);
    }

    [Theory]
    [MemberData(nameof(PathCases))]
    public void Allows_NonResourceRequest_MatchesPathsAndPrefixes(string verb, string url, string path, bool allowed)
    {
        var policy = new PolicyRule(["get"], [], [], [], [url]);

        Assert.Equal(allowed, policy.Allows(AuthorizationAttributes.ForPath(Someone, verb, path)));
    }

    [Fact]
    public void Allows_ResourceRuleForNonResourceRequest_Denies()
    {
        var policy = new PolicyRule(["*"], ["*"], ["*"], [], []);

        Assert.False(policy.Allows(AuthorizationAttributes.ForPath(Someone, "get", "/version")));
    }

    private static string[] List(string text, bool keepEmpty = false) =>
        text.Length == 0 ? (keepEmpty ? [""] : []) : text.Split(',');
}
