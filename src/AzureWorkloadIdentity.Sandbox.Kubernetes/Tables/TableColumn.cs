using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>A column of a <c>meta.k8s.io</c> Table; priority 1 columns are the ones <c>kubectl get -o wide</c> adds.</summary>
public sealed record TableColumn(string Name, string Description, string Type = "string", int Priority = 0, string Format = "")
{
    public static TableColumn NameColumn { get; } = new("Name", "Name must be unique within a namespace.", Format: "name");

    public static TableColumn Age { get; } = new("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
