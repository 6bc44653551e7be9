using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// The RBAC objects of the store, kept current from its change feed and indexed by subject and namespace, so that
/// finding the rules for a request looks up the user's and groups' bindings instead of scanning every binding.
/// Role references are resolved when asked, so a role created after its binding (or changed) counts at once.
/// </summary>
internal sealed class RbacIndex
{
    private const string Group = "rbac.authorization.k8s.io";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Name), PolicyRule[]> _roles = [];
    private readonly Dictionary<(string Namespace, string Name), RbacBinding> _bindings = [];
    private readonly Dictionary<(string Namespace, string Key), HashSet<string>> _bindingsBySubject = [];

    private RbacIndex()
    {
    }

    /// <summary>Indexes the RBAC objects already stored and follows every later change.</summary>
    public static RbacIndex Attach(ObjectStore store)
    {
        var index = new RbacIndex();
        store.Changed += index.Apply;
        foreach (var plural in new[] { "clusterroles", "roles", "clusterrolebindings", "rolebindings" })
        {
            var type = new ResourceType(Group, "v1", plural, string.Empty, plural is "roles" or "rolebindings");
            foreach (var stored in store.List(type, null).Items)
            {
                index.Apply(new WatchEvent(WatchEvent.Added, stored, null));
            }
        }

        return index;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with each rule that applies to <paramref name="user"/> in <paramref name="namespace"/>
    /// (ClusterRoleBindings first, then the namespace's RoleBindings), and with an error for each binding whose role
    /// is missing; stops when it returns false.
    /// </summary>
    public void Visit(UserInfo user, string @namespace, Func<string?, PolicyRule?, string?, bool> visit)
    {
        string[] keys = [RbacBinding.UserKey(user.Name), .. user.Groups.Select(RbacBinding.GroupKey)];
        lock (_gate)
        {
            foreach (var scope in @namespace.Length == 0 ? [string.Empty] : new[] { string.Empty, @namespace })
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    if (!_bindingsBySubject.TryGetValue((scope, key), out var names))
                    {
                        continue;
                    }

                    foreach (var name in names)
                    {
                        if (seen.Add(name) && !VisitBinding(_bindings[(scope, name)], keys, visit))
                        {
                            return;
                        }
                    }
                }
            }
        }
    }

    private bool VisitBinding(RbacBinding binding, string[] keys, Func<string?, PolicyRule?, string?, bool> visit)
    {
        var roleNamespace = binding.RoleKind == "Role" ? binding.Namespace : string.Empty;
        if (binding.RoleKind is not ("Role" or "ClusterRole") || !_roles.TryGetValue((roleNamespace, binding.RoleName), out var rules))
        {
            var kind = binding.RoleKind == "Role" ? "role" : "clusterrole";
            return visit(null, null, $"{kind}.{Group} \"{binding.RoleName}\" not found");
        }

        var source = binding.Describe(binding.Subjects.First(s => keys.Contains(s.Key)).Description);
        foreach (var rule in rules)
        {
            if (!visit(source, rule, null))
            {
                return false;
            }
        }

        return true;
    }

    private void Apply(WatchEvent change)
    {
        var type = change.Object.Type;
        if (type.Group != Group || type.Plural is not ("roles" or "clusterroles" or "rolebindings" or "clusterrolebindings"))
        {
            return;
        }

        var key = (change.Object.Name.Namespace, change.Object.Name.Name);
        var deleted = change.Type == WatchEvent.Deleted;
        lock (_gate)
        {
            if (type.Plural is "roles" or "clusterroles")
            {
                _roles.Remove(key);
                if (!deleted)
                {
                    _roles[key] = [.. (change.Object.ToJsonObject()["rules"] as JsonArray ?? []).Select(PolicyRule.FromJson)];
                }

                return;
            }

            if (_bindings.Remove(key, out var old))
            {
                foreach (var (subject, _) in old.Subjects)
                {
                    if (_bindingsBySubject.TryGetValue((key.Namespace, subject), out var names) && names.Remove(key.Name) && names.Count == 0)
                    {
                        _bindingsBySubject.Remove((key.Namespace, subject));
                    }
                }
            }

            if (!deleted)
            {
                var binding = RbacBinding.FromJson(key.Namespace, key.Name, change.Object.ToJsonObject());
                _bindings[key] = binding;
                foreach (var (subject, _) in binding.Subjects)
                {
                    if (!_bindingsBySubject.TryGetValue((key.Namespace, subject), out var names))
                    {
                        names = new HashSet<string>(StringComparer.Ordinal);
                        _bindingsBySubject[(key.Namespace, subject)] = names;
                    }

                    names.Add(key.Name);
                }
            }
        }
    }
}
