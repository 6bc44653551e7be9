using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

/// <summary>
/// JSON for the Kubernetes objects the webhook reads and writes, and nothing else: the official client's models,
/// with the API server's conventions (absent rather than null). <see cref="JsonElement"/> is here for the untyped
/// parts of those models (managedFields' fieldsV1), so an object read can be written back whole.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1ServiceAccount))]
[JsonSerializable(typeof(V1ServiceAccountList))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1MutatingWebhookConfiguration))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class KubernetesApiJsonContext : JsonSerializerContext;
