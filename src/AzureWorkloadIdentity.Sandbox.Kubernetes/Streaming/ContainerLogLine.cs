namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>One line a container wrote (standard output or error), with the time the kubelet received it.</summary>
public readonly record struct ContainerLogLine(DateTimeOffset Time, string Text);
