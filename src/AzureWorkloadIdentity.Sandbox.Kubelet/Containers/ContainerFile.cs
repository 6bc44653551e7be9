namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>A file of the machine every container gets, read-only, at <paramref name="ContainerPath"/> (e.g. the sandbox's CA).</summary>
public sealed record ContainerFile(string HostPath, string ContainerPath);
