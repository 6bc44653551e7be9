using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>Source-generated serialisation for the server's generic (JsonNode) documents.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
