using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// A RoleBinding (<see cref="Namespace"/> set) or ClusterRoleBinding (empty namespace), with each subject turned into
/// the key the index finds it by: <c>user:&lt;name&gt;</c> or <c>group:&lt;name&gt;</c>; a ServiceAccount subject is
/// the user <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>, its namespace defaulting to the RoleBinding's (a
/// ClusterRoleBinding's ServiceAccount subject without a namespace matches no one, as upstream).
/// </summary>
internal sealed record RbacBinding(string Namespace, string Name, string RoleKind, string RoleName, IReadOnlyList<(string Key, string Description)> Subjects)
{
    public static string UserKey(string name) => "user:" + name;

    public static string GroupKey(string name) => "group:" + name;

    public static RbacBinding FromJson(string @namespace, string name, JsonObject binding)
    {
        var roleRef = binding["roleRef"];
        var subjects = new List<(string, string)>();
        foreach (var subject in binding["subjects"] as JsonArray ?? [])
        {
            var kind = Text(subject?["kind"]);
            var subjectName = Text(subject?["name"]);
            var subjectNamespace = Text(subject?["namespace"]);
            switch (kind)
            {
                case "User":
                    subjects.Add((UserKey(subjectName), $"User \"{subjectName}\""));
                    break;
                case "Group":
                    subjects.Add((GroupKey(subjectName), $"Group \"{subjectName}\""));
                    break;
                case "ServiceAccount":
                    var accountNamespace = subjectNamespace.Length > 0 ? subjectNamespace : @namespace;
                    if (accountNamespace.Length > 0)
                    {
                        subjects.Add((UserKey(UserInfo.ServiceAccountName(accountNamespace, subjectName)), $"ServiceAccount \"{subjectName}/{accountNamespace}\""));
                    }

                    break;
            }
        }

        return new RbacBinding(@namespace, name, Text(roleRef?["kind"]), Text(roleRef?["name"]), subjects);
    }

    /// <summary>How kube-apiserver names the grant in an authorization reason (<c>RBAC: allowed by …</c>).</summary>
    public string Describe(string subject) => Namespace.Length == 0
        ? $"ClusterRoleBinding \"{Name}\" of {RoleKind} \"{RoleName}\" to {subject}"
        : $"RoleBinding \"{Name}/{Namespace}\" of {RoleKind} \"{RoleName}\" to {subject}";

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
}
