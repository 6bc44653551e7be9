namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>
/// Which columns a kind gets: kube-apiserver's printers for the kinds the sandbox uses, and for the rest the generic
/// NAME / CREATED AT table that kube-apiserver gives kinds without a printer.
/// </summary>
public static class TablePrinters
{
    public static TablePrinter Default { get; } = new(
        [TableColumn.NameColumn, new("Created At", "CreationTimestamp is a timestamp representing the server time when this object was created.", "date")],
        (value, _) => [TableCells.Name(value), value["metadata"]?["creationTimestamp"]?.DeepClone()]);

    private static readonly Dictionary<(string Group, string Plural), TablePrinter> ByResource = new()
    {
        [("", "pods")] = PodPrinter.Printer,
        [("apps", "deployments")] = WorkloadPrinters.Deployments,
        [("apps", "replicasets")] = WorkloadPrinters.ReplicaSets,
        [("batch", "jobs")] = WorkloadPrinters.Jobs,
        [("", "services")] = CorePrinters.Services,
        [("", "serviceaccounts")] = CorePrinters.ServiceAccounts,
        [("", "secrets")] = CorePrinters.Secrets,
        [("", "configmaps")] = CorePrinters.ConfigMaps,
        [("", "namespaces")] = CorePrinters.Namespaces,
        [("", "events")] = CorePrinters.Events,
        [("events.k8s.io", "events")] = CorePrinters.Events,
        [("admissionregistration.k8s.io", "mutatingwebhookconfigurations")] = CorePrinters.MutatingWebhookConfigurations,
    };

    public static TablePrinter For(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return ByResource.TryGetValue((type.Group, type.Plural), out var printer) ? printer : Default;
    }
}
