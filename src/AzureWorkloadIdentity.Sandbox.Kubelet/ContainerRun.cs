namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>The outcome of running a container's command locally.</summary>
/// <param name="Log">Standard output and error, interleaved as the program wrote them (like <c>kubectl logs</c>).</param>
public sealed record ContainerRun(string Container, int ExitCode, IReadOnlyList<string> Log, TimeSpan Duration);
