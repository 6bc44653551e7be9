namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A container's env with every <c>valueFrom</c> resolved, or why it cannot be (a secret or config map that is
/// missing and not optional), which the kubelet reports as <c>CreateContainerConfigError</c>.
/// </summary>
public sealed record ContainerEnvironment(IReadOnlyList<KeyValuePair<string, string>> Variables, string? Error);
