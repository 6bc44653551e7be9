using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The resources the server knows by name, plus any other group/version/resource a client uses: those are
/// served generically (scope from the request path, kind from the first object created) and then appear in
/// discovery like the built-in ones.
/// </summary>
public sealed class ResourceCatalog
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true);
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly ResourceType Events = new("", "v1", "events", "Event", true);
    public static readonly ResourceType MutatingWebhookConfigurations =
        new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false);

    private static readonly ResourceType[] BuiltIn =
    [
        Namespaces,
        ServiceAccounts,
        Pods,
        Secrets,
        new("", "v1", "configmaps", "ConfigMap", true),
        new("", "v1", "services", "Service", true),
        Events,
        new("", "v1", "endpoints", "Endpoints", true),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
        new("", "v1", "replicationcontrollers", "ReplicationController", true),
        new("", "v1", "nodes", "Node", false),
        new("", "v1", "resourcequotas", "ResourceQuota", true),
        new("", "v1", "limitranges", "LimitRange", true),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        new("", "v1", "persistentvolumes", "PersistentVolume", false),
        new("", "v1", "podtemplates", "PodTemplate", true),
        new("apps", "v1", "deployments", "Deployment", true),
        new("apps", "v1", "replicasets", "ReplicaSet", true),
        new("apps", "v1", "statefulsets", "StatefulSet", true),
        new("apps", "v1", "daemonsets", "DaemonSet", true),
        new("batch", "v1", "jobs", "Job", true),
        new("batch", "v1", "cronjobs", "CronJob", true),
        MutatingWebhookConfigurations,
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
        new("coordination.k8s.io", "v1", "leases", "Lease", true),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
        new("aadpodidentity.k8s.io", "v1", "azureidentities", "AzureIdentity", true),
        new("aadpodidentity.k8s.io", "v1", "azureidentitybindings", "AzureIdentityBinding", true),
        new("aadpodidentity.k8s.io", "v1", "azurepodidentityexceptions", "AzurePodIdentityException", true),
    ];

    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceType> _types = new();

    public ResourceCatalog()
    {
        foreach (var type in BuiltIn)
        {
            _types[(type.Group, type.Version, type.Plural)] = type;
        }
    }

    public IReadOnlyCollection<ResourceType> All => [.. _types.Values];

    public bool TryGet(string group, string version, string plural, out ResourceType type) =>
        _types.TryGetValue((group, version, plural), out type!);

    /// <summary>
    /// Resolves a request's resource, registering an unknown one of an unknown group with the given scope and kind;
    /// an unknown resource of a built-in group/version is 404, as kube-apiserver answers it.
    /// </summary>
    public ResourceType Resolve(string group, string version, string plural, bool namespaced, string? kindHint)
    {
        if (TryGet(group, version, plural, out var known))
        {
            return known;
        }

        if (BuiltIn.Any(t => t.Group == group && t.Version == version))
        {
            throw new KubernetesApiException(404, "NotFound",
                $"the server could not find the requested resource: there is no resource \"{plural}\" in {(group.Length == 0 ? version : group + "/" + version)} (kubectl api-resources lists the served ones)");
        }

        var kind = string.IsNullOrEmpty(kindHint) ? GuessKind(plural) : kindHint;
        var type = new ResourceType(group, version, plural, kind, namespaced);
        return kindHint is null ? type : _types.GetOrAdd((group, version, plural), type);
    }

    private static string GuessKind(string plural)
    {
        var singular = plural.EndsWith("ies", StringComparison.Ordinal) ? plural[..^3] + "y"
            : plural.EndsWith("ses", StringComparison.Ordinal) ? plural[..^2]
            : plural.EndsWith('s') ? plural[..^1]
            : plural;
        return singular.Length == 0 ? plural : char.ToUpperInvariant(singular[0]) + singular[1..];
    }
}
