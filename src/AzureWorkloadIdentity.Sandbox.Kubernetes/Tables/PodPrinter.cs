using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>
/// The pod row kube-apiserver prints: READY counts ready containers (native sidecars included), STATUS is the phase
/// refined by the most telling container state (<c>Init:1/2</c>, <c>CrashLoopBackOff</c>, <c>Completed</c>,
/// <c>Terminating</c>…), RESTARTS adds "(5m ago)" from the last termination.
/// </summary>
internal static class PodPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.NameColumn,
            new("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "The aggregate status of the containers in this pod."),
            new("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            TableColumn.Age,
            new("IP", "podIP address allocated to the pod.", Priority: 1),
            new("Node", "NodeName indicates in which node this pod is scheduled.", Priority: 1),
            new("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node.", Priority: 1),
            new("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", Priority: 1),
        ],
        Cells);

    private static IEnumerable<JsonNode?> Cells(JsonObject pod, DateTimeOffset now)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        var status = pod["status"] as JsonObject ?? [];
        var initSpecs = (spec["initContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var sidecars = initSpecs.Where(IsSidecar).Select(c => TableCells.Text(c["name"])).ToHashSet(StringComparer.Ordinal);
        var total = TableCells.Count(spec["containers"]) + sidecars.Count;
        var ready = 0;
        var restarts = 0L;
        DateTimeOffset? lastRestart = null;
        var reason = TableCells.Text(status["reason"], TableCells.Text(status["phase"]));

        var initializing = false;
        var initStatuses = (status["initContainerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            Count(container, ref restarts, ref lastRestart);
            var sidecar = sidecars.Contains(TableCells.Text(container["name"]));
            var started = container["started"]?.GetValue<bool>() == true;
            if (sidecar && started && container["ready"]?.GetValue<bool>() == true)
            {
                ready++;
            }

            var state = container["state"] as JsonObject ?? [];
            if (state["terminated"] is JsonObject done && TableCells.Number(done["exitCode"]) == 0)
            {
                continue;
            }

            if (sidecar && started)
            {
                continue;
            }

            initializing = true;
            if (state["terminated"] is JsonObject terminated)
            {
                reason = "Init:" + TableCells.Text(terminated["reason"], Ended(terminated));
            }
            else if (state["waiting"] is JsonObject waiting && TableCells.Text(waiting["reason"]) is { Length: > 0 } why && why != "PodInitializing")
            {
                reason = "Init:" + why;
            }
            else
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"Init:{i}/{initSpecs.Count}");
            }

            break;
        }

        if (!initializing || HasCondition(status, "Initialized"))
        {
            var hasRunning = false;
            var statuses = (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().Reverse();
            foreach (var container in statuses)
            {
                Count(container, ref restarts, ref lastRestart);
                var state = container["state"] as JsonObject ?? [];
                if (state["waiting"] is JsonObject waiting && TableCells.Text(waiting["reason"]) is { Length: > 0 } waitingReason)
                {
                    reason = waitingReason;
                }
                else if (state["terminated"] is JsonObject terminated)
                {
                    reason = TableCells.Text(terminated["reason"], Ended(terminated));
                }
                else if (state["running"] is not null && container["ready"]?.GetValue<bool>() == true)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = HasCondition(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = TableCells.Text(status["reason"]) == "NodeLost" ? "Unknown" : "Terminating";
        }

        var restartText = TableCells.Integer(restarts);
        if (restarts != 0 && lastRestart is { } last)
        {
            restartText += $" ({HumanDuration.Format(now - last)} ago)";
        }

        var gates = TableCells.Count(spec["readinessGates"]);
        var gatesText = gates == 0
            ? TableCells.None
            : string.Create(CultureInfo.InvariantCulture, $"{(status["conditions"] as JsonArray ?? []).OfType<JsonObject>().Count(c => TableCells.Text(c["status"]) == "True" && (spec["readinessGates"] as JsonArray)!.Any(g => TableCells.Text(g?["conditionType"]) == TableCells.Text(c["type"])))}/{gates}");
        return
        [
            TableCells.Name(pod),
            string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}"),
            reason,
            restartText,
            TableCells.Age(pod, now),
            TableCells.Text(status["podIP"], TableCells.None),
            TableCells.Text(spec["nodeName"], TableCells.None),
            TableCells.Text(status["nominatedNodeName"], TableCells.None),
            gatesText,
        ];
    }

    private static bool IsSidecar(JsonObject container) => TableCells.Text(container["restartPolicy"]) == "Always";

    private static bool HasCondition(JsonObject status, string type) =>
        (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => TableCells.Text(c["type"]) == type && TableCells.Text(c["status"]) == "True");

    private static string Ended(JsonObject terminated) =>
        TableCells.Number(terminated["signal"]) is var signal and not 0
            ? "Signal:" + TableCells.Integer(signal)
            : "ExitCode:" + TableCells.Integer(TableCells.Number(terminated["exitCode"]));

    private static void Count(JsonObject container, ref long restarts, ref DateTimeOffset? lastRestart)
    {
        restarts += TableCells.Number(container["restartCount"]);
        if (TableCells.Text(container["lastState"]?["terminated"]?["finishedAt"]) is { Length: > 0 } finished
            && DateTimeOffset.TryParse(finished, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && (lastRestart is null || at > lastRestart))
        {
            lastRestart = at;
        }
    }
}
