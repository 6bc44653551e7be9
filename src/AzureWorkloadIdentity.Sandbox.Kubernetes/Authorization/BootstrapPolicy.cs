using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings a new kube-apiserver creates (labelled
/// <c>kubernetes.io/bootstrapping: rbac-defaults</c>) that matter to the sandbox's clients: cluster-admin for
/// <c>system:masters</c>; discovery, <c>/version</c>, <c>/openapi</c> and the self reviews for every authenticated user;
/// health and version for everyone; issuer discovery for service accounts; and the auth-delegator role charts bind.
/// </summary>
internal static class BootstrapPolicy
{
    private const string Group = "rbac.authorization.k8s.io";

    private static readonly ResourceType ClusterRoles = new(Group, "v1", "clusterroles", "ClusterRole", false);
    private static readonly ResourceType ClusterRoleBindings = new(Group, "v1", "clusterrolebindings", "ClusterRoleBinding", false);

    private static readonly (string Name, PolicyRule[] Rules)[] Roles =
    [
        ("cluster-admin", [Resources(["*"], ["*"], "*"), Urls(["*"], "*")]),
        ("system:discovery", [Urls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*")]),
        ("system:basic-user",
        [
            Resources(["create"], ["authorization.k8s.io"], "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            Resources(["create"], ["authentication.k8s.io"], "selfsubjectreviews"),
        ]),
        ("system:public-info-viewer", [Urls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/")]),
        ("system:service-account-issuer-discovery",
            [Urls(["get"], "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/")]),
        ("system:auth-delegator",
        [
            Resources(["create"], ["authentication.k8s.io"], "tokenreviews"),
            Resources(["create"], ["authorization.k8s.io"], "subjectaccessreviews"),
        ]),
    ];

    private static readonly (string Name, string Role, string[] Groups)[] Bindings =
    [
        ("cluster-admin", "cluster-admin", [UserInfo.MastersGroup]),
        ("system:discovery", "system:discovery", [UserInfo.AuthenticatedGroup]),
        ("system:basic-user", "system:basic-user", [UserInfo.AuthenticatedGroup]),
        ("system:public-info-viewer", "system:public-info-viewer", [UserInfo.AuthenticatedGroup, UserInfo.UnauthenticatedGroup]),
        ("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [UserInfo.AllServiceAccountsGroup]),
    ];

    public static void Seed(ObjectStore store)
    {
        foreach (var (name, rules) in Roles)
        {
            store.Create(ClusterRoles, null, new JsonObject
            {
                ["metadata"] = Metadata(name),
                ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]),
            });
        }

        foreach (var (name, role, groups) in Bindings)
        {
            store.Create(ClusterRoleBindings, null, new JsonObject
            {
                ["metadata"] = Metadata(name),
                ["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = "ClusterRole", ["name"] = role },
                ["subjects"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["apiGroup"] = Group, ["kind"] = "Group", ["name"] = g })]),
            });
        }
    }

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static PolicyRule Resources(string[] verbs, string[] groups, params string[] resources) => new(verbs, groups, resources, [], []);

    private static PolicyRule Urls(string[] verbs, params string[] urls) => new(verbs, [], [], [], urls);
}
