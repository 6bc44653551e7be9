using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>The rows kube-apiserver prints for the core kinds the sandbox serves besides pods.</summary>
internal static class CorePrinters
{
    public static TablePrinter Services { get; } = new(
        [
            TableColumn.NameColumn,
            new("Type", "type determines how the Service is exposed."),
            new("Cluster-IP", "clusterIP is the IP address of the service."),
            new("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            new("Port(s)", "The list of ports that are exposed by this service."),
            TableColumn.Age,
            new("Selector", "Route service traffic to pods with label keys and values matching this selector.", Priority: 1),
        ],
        (service, now) =>
        {
            var spec = service["spec"];
            var ports = (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => TableCells.Integer(TableCells.Number(p["port"]))
                    + (p["nodePort"] is { } node ? ":" + TableCells.Integer(TableCells.Number(node)) : string.Empty)
                    + "/" + TableCells.Text(p["protocol"], "TCP"))
                .ToList();
            var external = (spec?["externalIPs"] as JsonArray ?? []).Select(ip => TableCells.Text(ip)).ToList();
            return
            [
                TableCells.Name(service),
                TableCells.Text(spec?["type"], "ClusterIP"),
                TableCells.Text(spec?["clusterIP"], TableCells.None),
                external.Count == 0 ? TableCells.None : string.Join(',', external),
                ports.Count == 0 ? TableCells.None : string.Join(',', ports),
                TableCells.Age(service, now),
                TableCells.MapSelector(spec?["selector"]),
            ];
        });

    public static TablePrinter ServiceAccounts { get; } = new(
        [TableColumn.NameColumn, new("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", "integer"), TableColumn.Age],
        (account, now) => [TableCells.Name(account), TableCells.Count(account["secrets"]), TableCells.Age(account, now)]);

    public static TablePrinter Secrets { get; } = new(
        [TableColumn.NameColumn, new("Type", "Used to facilitate programmatic handling of secret data."), new("Data", "Data contains the secret data.", "integer"), TableColumn.Age],
        (secret, now) => [TableCells.Name(secret), TableCells.Text(secret["type"], "Opaque"), TableCells.Count(secret["data"]), TableCells.Age(secret, now)]);

    public static TablePrinter ConfigMaps { get; } = new(
        [TableColumn.NameColumn, new("Data", "Data contains the configuration data.", "integer"), TableColumn.Age],
        (map, now) => [TableCells.Name(map), TableCells.Count(map["data"]) + TableCells.Count(map["binaryData"]), TableCells.Age(map, now)]);

    public static TablePrinter Namespaces { get; } = new(
        [TableColumn.NameColumn, new("Status", "The status of the namespace"), TableColumn.Age],
        (ns, now) => [TableCells.Name(ns), TableCells.Text(ns["status"]?["phase"]), TableCells.Age(ns, now)]);

    public static TablePrinter MutatingWebhookConfigurations { get; } = new(
        [TableColumn.NameColumn, new("Webhooks", "Webhooks is a list of webhooks and the affected resources and operations.", "integer"), TableColumn.Age],
        (configuration, now) => [TableCells.Name(configuration), TableCells.Count(configuration["webhooks"]), TableCells.Age(configuration, now)]);

    public static TablePrinter Events { get; } = new(
        [
            new("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            new("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            new("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new("Object", "The object that this event is about."),
            new("Subobject", "The field of the object that this event is about.", Priority: 1),
            new("Source", "The component reporting this event.", Priority: 1),
            new("Message", "A human-readable description of the status of this operation."),
            new("First Seen", "The time at which the event was first recorded.", Priority: 1),
            new("Count", "The number of times this event has occurred.", Priority: 1),
            new("Name", "Name must be unique within a namespace.", Priority: 1, Format: "name"),
        ],
        (e, now) =>
        {
            var first = e["firstTimestamp"] is null ? HumanDuration.Since(e["eventTime"], now) : HumanDuration.Since(e["firstTimestamp"], now);
            var last = e["series"]?["lastObservedTime"] is { } observed ? HumanDuration.Since(observed, now)
                : e["lastTimestamp"] is null ? first
                : HumanDuration.Since(e["lastTimestamp"], now);
            var count = e["series"]?["count"] is { } seriesCount ? TableCells.Number(seriesCount) : Math.Max(1, TableCells.Number(e["count"]));
            var involved = e["involvedObject"];
            var kind = TableCells.Text(involved?["kind"]).ToLowerInvariant();
            var target = TableCells.Text(involved?["name"]) is { Length: > 0 } name ? kind + "/" + name : kind;
            var component = TableCells.Text(e["source"]?["component"], TableCells.Text(e["reportingComponent"]));
            var host = TableCells.Text(e["source"]?["host"], TableCells.Text(e["reportingInstance"]));
            return
            [
                last,
                TableCells.Text(e["type"]),
                TableCells.Text(e["reason"]),
                target,
                TableCells.Text(involved?["fieldPath"]),
                host.Length > 0 ? component + ", " + host : component,
                TableCells.Text(e["message"]),
                first,
                TableCells.Integer(count),
                TableCells.Name(e),
            ];
        });
}
