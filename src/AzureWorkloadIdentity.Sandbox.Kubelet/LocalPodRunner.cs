using AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Runs a whole pod the way the kubelet does, with native sidecars (SidecarContainers, on by default from
/// Kubernetes 1.29): init containers in order, each to completion (a failed one again after the back-off unless the
/// pod's restart policy is <c>Never</c>), except those with <c>restartPolicy: Always</c>,
/// which are started, their postStart hook run, and kept running while the rest of the pod starts; then the regular
/// containers, each started after the previous one's postStart hook. The pod has ended when its regular containers
/// have for good — native sidecars are not counted and are stopped then — and its phase is written to the API server.
/// From their start, containers are probed and restarted by <see cref="LocalPodRun"/>.
/// </summary>
public sealed class LocalPodRunner(IContainerRunner runner, IKubernetes client, KubeletOptions? options = null)
{
    /// <summary>How long one container's postStart hook may take.</summary>
    public static TimeSpan HookTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs the init containers and starts the containers; the result follows the pod from there.</summary>
    public async Task<LocalPodRun> StartAsync(LocalPod pod, TimeSpan initTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var settings = options ?? new KubeletOptions();
        var run = new LocalPodRun(pod, client, runner, settings);
        settings.StreamingServer?.Add(run);
        run.Events.Scheduled();
        try
        {
            foreach (var container in pod.Pod.Spec.InitContainers ?? [])
            {
                if (container.RestartPolicy == "Always")
                {
                    if (!await StartWithHookAsync(run, pod, container, sidecar: true, cancellationToken))
                    {
                        return run;
                    }

                    continue;
                }

                if (!await RunInitContainerAsync(run, pod, container, initTimeout, cancellationToken))
                {
                    return run;
                }
            }

            foreach (var container in pod.Pod.Spec.Containers ?? [])
            {
                if (!await StartWithHookAsync(run, pod, container, sidecar: false, cancellationToken))
                {
                    return run;
                }
            }

            await run.ReportAsync("Running", null, cancellationToken);
            return run;
        }
        catch (ContainerStartException e)
        {
            // As a kubelet does: the pod stays Pending and its status names why the container cannot start.
            run.Waiting(e.Container, e.Reason, e.Message);
            await run.EndAsync("Pending", e.Message, cancellationToken);
            throw;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs an init container to completion. One that fails is run again after the crash-loop back-off while the pod's
    /// restart policy allows it (<c>Always</c>, <c>OnFailure</c>), the pod staying Pending meanwhile, as a kubelet
    /// does; with <c>Never</c> the pod fails.
    /// </summary>
    private async Task<bool> RunInitContainerAsync(LocalPodRun run, LocalPod pod, V1Container container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var finished = await runner.RunAsync(pod, container.Name, timeout, cancellationToken);
            run.Events.ContainerStarted(container.Name);
            run.Record(finished);
            if (finished.ExitCode == 0)
            {
                return true;
            }

            if (!RestartRules.ShouldRestartInitContainer(pod.Pod.Spec.RestartPolicy))
            {
                await run.EndAsync("Failed", $"init container {container.Name} exited with {finished.ExitCode}", cancellationToken);
                return false;
            }

            await run.BackOffAsync(container.Name, cancellationToken);
            run.CountRestart(container.Name);
        }
    }

    private async Task<bool> StartWithHookAsync(LocalPodRun run, LocalPod pod, V1Container container, bool sidecar, CancellationToken cancellationToken)
    {
        run.Started(container.Name, await runner.StartAsync(pod, container.Name, cancellationToken), sidecar);
        var hook = await runner.RunPostStartAsync(pod, container.Name, HookTimeout, cancellationToken);
        if (hook.ExitCode == 0)
        {
            return true;
        }

        // As the kubelet does, a failed postStart hook kills the container; the pod does not start.
        run.Events.PostStartHookFailed(container.Name);
        await run.EndAsync("Failed", $"postStart hook of {container.Name} exited with {hook.ExitCode}: {string.Join(" | ", hook.Log)}", cancellationToken);
        return false;
    }
}
