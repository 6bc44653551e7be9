namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A container could not be started; <see cref="Reason"/> is the kubelet's waiting reason for the container's
/// status (<c>ErrImageNeverPull</c>, <c>CreateContainerError</c>) and the message says what to do.
/// </summary>
public sealed class ContainerStartException(string container, string reason, string message) : InvalidOperationException(message)
{
    public string Container { get; } = container;

    public string Reason { get; } = reason;
}
