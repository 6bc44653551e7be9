namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>A command running in a container for <c>kubectl exec</c>; disposing it kills the command if it still runs.</summary>
public interface IContainerExec : IAsyncDisposable
{
    /// <summary>The command's standard input, or <see langword="null"/> when the caller sends none.</summary>
    Stream? StandardInput { get; }

    Stream StandardOutput { get; }

    Stream StandardError { get; }

    /// <summary>Waits for the command to end and returns its exit code.</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken);
}
