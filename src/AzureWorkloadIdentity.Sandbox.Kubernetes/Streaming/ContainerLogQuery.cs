namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// Which lines of a container's log to read, from the <c>pods/log</c> query: the previous instance's or the current
/// one's, the last <paramref name="TailLines"/> only, those written at or after <paramref name="Since"/>, and whether
/// to keep following the log until the container ends.
/// </summary>
public sealed record ContainerLogQuery(bool Previous, bool Follow, long? TailLines, DateTimeOffset? Since);
