using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>The rows kube-apiserver prints for Deployments, ReplicaSets and Jobs.</summary>
internal static class WorkloadPrinters
{
    private static readonly TableColumn Containers = new("Containers", "Names of each container in the template.", Priority: 1);
    private static readonly TableColumn Images = new("Images", "Images referenced by each container in the template.", Priority: 1);
    private static readonly TableColumn Selector = new("Selector", "Label selector for pods.", Priority: 1);

    public static TablePrinter Deployments { get; } = new(
        [
            TableColumn.NameColumn,
            new("Ready", "Number of the pod with ready state"),
            new("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", "integer"),
            new("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", "integer"),
            TableColumn.Age,
            Containers,
            Images,
            Selector,
        ],
        (deployment, now) =>
        {
            var status = deployment["status"];
            var (names, images) = TableCells.Containers(deployment["spec"]?["template"]?["spec"]);
            return
            [
                TableCells.Name(deployment),
                string.Create(CultureInfo.InvariantCulture, $"{TableCells.Number(status?["readyReplicas"])}/{Replicas(deployment)}"),
                TableCells.Number(status?["updatedReplicas"]),
                TableCells.Number(status?["availableReplicas"]),
                TableCells.Age(deployment, now),
                names,
                images,
                TableCells.Selector(deployment["spec"]?["selector"]),
            ];
        });

    public static TablePrinter ReplicaSets { get; } = new(
        [
            TableColumn.NameColumn,
            new("Desired", "Replicas is the number of desired pods.", "integer"),
            new("Current", "Replicas is the most recently observed number of non-terminating pods.", "integer"),
            new("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.", "integer"),
            TableColumn.Age,
            Containers,
            Images,
            Selector,
        ],
        (replicaSet, now) =>
        {
            var status = replicaSet["status"];
            var (names, images) = TableCells.Containers(replicaSet["spec"]?["template"]?["spec"]);
            return
            [
                TableCells.Name(replicaSet),
                Replicas(replicaSet),
                TableCells.Number(status?["replicas"]),
                TableCells.Number(status?["readyReplicas"]),
                TableCells.Age(replicaSet, now),
                names,
                images,
                TableCells.Selector(replicaSet["spec"]?["selector"]),
            ];
        });

    public static TablePrinter Jobs { get; } = new(
        [
            TableColumn.NameColumn,
            new("Status", "Status of the job."),
            new("Completions", "The number of pods which reached phase Succeeded."),
            new("Duration", "Time required to complete the job."),
            TableColumn.Age,
            Containers,
            Images,
            Selector,
        ],
        (job, now) =>
        {
            var spec = job["spec"];
            var status = job["status"];
            var succeeded = TableCells.Number(status?["succeeded"]);
            var parallelism = spec?["parallelism"] is null ? 1 : TableCells.Number(spec["parallelism"]);
            var completions = spec?["completions"] is { } wanted
                ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{TableCells.Number(wanted)}")
                : parallelism > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
                    : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
            var (names, images) = TableCells.Containers(spec?["template"]?["spec"]);
            return
            [
                TableCells.Name(job),
                JobStatus(job),
                completions,
                Duration(status, now),
                TableCells.Age(job, now),
                names,
                images,
                TableCells.Selector(spec?["selector"]),
            ];
        });

    private static long Replicas(JsonObject value) =>
        value["spec"]?["replicas"] is { } replicas ? TableCells.Number(replicas) : 1;

    private static string JobStatus(JsonObject job)
    {
        bool Has(string type) => (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => TableCells.Text(c["type"]) == type && TableCells.Text(c["status"]) == "True");
        return Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : job["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
            : Has("FailureTarget") ? "FailureTarget"
            : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : Has("Suspended") ? "Suspended"
            : "Running";
    }

    private static string Duration(JsonNode? status, DateTimeOffset now)
    {
        if (!TryTime(status?["startTime"], out var start))
        {
            return string.Empty;
        }

        return HumanDuration.Format((TryTime(status?["completionTime"], out var end) ? end : now) - start);
    }

    private static bool TryTime(JsonNode? node, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(TableCells.Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
