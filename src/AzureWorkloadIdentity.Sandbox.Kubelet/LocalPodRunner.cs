using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Runs a whole pod the way the kubelet does, with native sidecars (SidecarContainers, on by default from
/// Kubernetes 1.29): init containers in order, each to completion, except those with <c>restartPolicy: Always</c>,
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
        var run = new LocalPodRun(pod, client, runner, options ?? new KubeletOptions());
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

                var finished = await runner.RunAsync(pod, container.Name, initTimeout, cancellationToken);
                run.Record(finished);
                if (finished.ExitCode != 0)
                {
                    await run.EndAsync("Failed", $"init container {container.Name} exited with {finished.ExitCode}", cancellationToken);
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

    private async Task<bool> StartWithHookAsync(LocalPodRun run, LocalPod pod, V1Container container, bool sidecar, CancellationToken cancellationToken)
    {
        run.Started(container.Name, await runner.StartAsync(pod, container.Name, cancellationToken), sidecar);
        var hook = await runner.RunPostStartAsync(pod, container.Name, HookTimeout, cancellationToken);
        if (hook.ExitCode == 0)
        {
            return true;
        }

        // As the kubelet does, a failed postStart hook kills the container; the pod does not start.
        await run.EndAsync("Failed", $"postStart hook of {container.Name} exited with {hook.ExitCode}: {string.Join(" | ", hook.Log)}", cancellationToken);
        return false;
    }
}
