using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>The columns kube-apiserver prints for one kind, and how one object becomes a row's cells (all columns, wide ones too).</summary>
public sealed record TablePrinter(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, IEnumerable<JsonNode?>> Cells);
