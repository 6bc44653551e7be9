namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf;

/// <summary>A message's fields by number (from the <c>generated.proto</c> of k8s.io/api and apimachinery).</summary>
internal sealed class ProtoMessage(string name, IReadOnlyDictionary<int, ProtoField> fields)
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<int, ProtoField> Fields { get; } = fields;
}
