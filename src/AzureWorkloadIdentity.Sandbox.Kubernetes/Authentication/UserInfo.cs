using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

/// <summary>
/// Who a request is from, as kube-apiserver's authenticators say it: user name, uid, groups and extra values.
/// Authorization, the self reviews and admission see this.
/// </summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public const string AuthenticatedGroup = "system:authenticated";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string MastersGroup = "system:masters";
    public const string AllServiceAccountsGroup = "system:serviceaccounts";
    public const string AnonymousName = "system:anonymous";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The kubeconfig's user, as a kubeadm cluster's admin.conf client certificate says it.</summary>
    public static UserInfo Admin { get; } = new("kubernetes-admin", "", [MastersGroup, AuthenticatedGroup], NoExtra);

    public static UserInfo Anonymous { get; } = new(AnonymousName, "", [UnauthenticatedGroup], NoExtra);

    public bool IsMaster => Groups.Contains(MastersGroup);

    /// <summary>A service account's user: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> and its three groups.</summary>
    public static UserInfo ServiceAccount(string @namespace, string name, string uid, IReadOnlyDictionary<string, IReadOnlyList<string>>? extra = null) =>
        new(ServiceAccountName(@namespace, name), uid, ServiceAccountGroups(@namespace), extra ?? NoExtra);

    public static string ServiceAccountName(string @namespace, string name) => ServiceAccountPrefix + @namespace + ":" + name;

    public static IReadOnlyList<string> ServiceAccountGroups(string @namespace) =>
        [AllServiceAccountsGroup, AllServiceAccountsGroup + ":" + @namespace, AuthenticatedGroup];

    /// <summary>Splits <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>; false for any other user name.</summary>
    public static bool TrySplitServiceAccount(string userName, out string @namespace, out string name)
    {
        ArgumentNullException.ThrowIfNull(userName);
        (@namespace, name) = (string.Empty, string.Empty);
        if (!userName.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = userName[ServiceAccountPrefix.Length..].Split(':');
        if (parts is not [var ns, var n] || ns.Length == 0 || n.Length == 0)
        {
            return false;
        }

        (@namespace, name) = (ns, n);
        return true;
    }

    /// <summary>The <c>UserInfo</c> of the authentication API (SelfSubjectReview, AdmissionReview).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["username"] = Name };
        if (Uid.Length > 0)
        {
            json["uid"] = Uid;
        }

        json["groups"] = new JsonArray([.. Groups.Select(g => (JsonNode)g)]);
        if (Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in Extra)
            {
                extra[key] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
            }

            json["extra"] = extra;
        }

        return json;
    }
}
