namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// How the kubelet runs one container of a pod: as a local process (<see cref="LocalContainerRunner"/>) or as an
/// OCI container from its image (<see cref="Containers.PodmanContainerRunner"/>). <see cref="LocalPodRunner"/>
/// orders the containers of a pod; a runner only starts, hooks and waits for one.
/// </summary>
public interface IContainerRunner
{
    /// <summary>What runs the containers, for the kubelet's one line of output (e.g. <c>podman (runc)</c>).</summary>
    string Description { get; }

    /// <summary>Starts the named container and leaves it running; disposing the result stops and removes it.</summary>
    /// <exception cref="ContainerStartException">The container cannot start (e.g. its image is not built).</exception>
    Task<LocalProcess> StartAsync(LocalPod pod, string containerName, CancellationToken cancellationToken);

    /// <summary>Runs the named container (init or regular) to completion.</summary>
    Task<ContainerRun> RunAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the container's <c>lifecycle.postStart</c> exec hook to completion, as the kubelet does right after
    /// starting the container; a container without one gets a successful no-op.
    /// </summary>
    Task<ContainerRun> RunPostStartAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="command"/> in the running container, as an exec probe does; a non-zero exit code (or a
    /// run past <paramref name="timeout"/>) is a failure.
    /// </summary>
    Task<ContainerRun> ExecAsync(LocalPod pod, string containerName, IEnumerable<string> command, TimeSpan timeout, CancellationToken cancellationToken);
}
