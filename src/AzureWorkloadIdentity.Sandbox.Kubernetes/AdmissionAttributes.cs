namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>What an admission step knows about a request besides the object.</summary>
public sealed record AdmissionAttributes(ResourceType Type, string? Namespace, string Operation, ObjectStore Store);
