using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>Turns stored objects into the <c>Table</c> document kube-apiserver sends for server-side printing.</summary>
public static class TableWriter
{
    public static JsonObject Table(
        TableRequest request, ResourceType type, IEnumerable<StoredObject> items, long? resourceVersion, string? continueToken,
        DateTimeOffset now, bool withColumns = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(items);
        var printer = TablePrinters.For(type);
        var metadata = new JsonObject();
        if (resourceVersion is { } version)
        {
            metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var value = item.ToJsonObject();
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray([.. printer.Cells(value, now)]),
                ["object"] = Embedded(request, value),
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = request.ApiVersion,
            ["metadata"] = metadata,
            // As kube-apiserver: a watch sends the column definitions with its first event only.
            ["columnDefinitions"] = withColumns ? new JsonArray([.. printer.Columns.Select(c => c.ToJson())]) : new JsonArray(),
            ["rows"] = rows,
        };
    }

    private static JsonObject? Embedded(TableRequest request, JsonObject value) => request.IncludeObject switch
    {
        "None" => null,
        "Object" => value,
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = value["metadata"]?.DeepClone(),
        },
    };
}
