namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// What kube-apiserver's discovery says about the built-in resources beyond name and kind: short names
/// (<c>kubectl get sa</c>) and categories (<c>kubectl get all</c>), keyed by qualified resource name.
/// </summary>
internal static class DiscoveryFacts
{
    private static readonly string[] All = ["all"];

    private static readonly Dictionary<string, (string[] ShortNames, string[] Categories)> Facts = new(StringComparer.Ordinal)
    {
        ["pods"] = (["po"], All),
        ["services"] = (["svc"], All),
        ["replicationcontrollers"] = (["rc"], All),
        ["serviceaccounts"] = (["sa"], []),
        ["namespaces"] = (["ns"], []),
        ["configmaps"] = (["cm"], []),
        ["events"] = (["ev"], []),
        ["endpoints"] = (["ep"], []),
        ["deployments.apps"] = (["deploy"], All),
        ["replicasets.apps"] = (["rs"], All),
        ["statefulsets.apps"] = (["sts"], All),
        ["daemonsets.apps"] = (["ds"], All),
        ["jobs.batch"] = ([], All),
        ["cronjobs.batch"] = (["cj"], All),
        ["poddisruptionbudgets.policy"] = (["pdb"], []),
        ["customresourcedefinitions.apiextensions.k8s.io"] = (["crd", "crds"], []),
        ["events.events.k8s.io"] = (["ev"], []),
    };

    public static string[] ShortNames(ResourceType type) => Facts.TryGetValue(type.QualifiedName, out var facts) ? facts.ShortNames : [];

    public static string[] Categories(ResourceType type) => Facts.TryGetValue(type.QualifiedName, out var facts) ? facts.Categories : [];
}
