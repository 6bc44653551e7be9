using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>The JSON podman reads from the kubelet: an entrypoint given as an array.</summary>
[JsonSerializable(typeof(IList<string>))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
