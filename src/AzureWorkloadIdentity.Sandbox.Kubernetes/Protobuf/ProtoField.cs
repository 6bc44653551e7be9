namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf;

/// <summary>One field of a Kubernetes protobuf message: its JSON name, wire shape, and nested message if any.</summary>
internal sealed record ProtoField(string Name, ProtoShape Shape, ProtoMessage? Message = null, bool Repeated = false);
