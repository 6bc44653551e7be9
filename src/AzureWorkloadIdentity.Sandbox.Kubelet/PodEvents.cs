using AzureWorkloadIdentity.Sandbox.Kubernetes.Events;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The Events a pod's life records, with the reasons and messages of kube-scheduler and the kubelet (what
/// <c>kubectl describe pod</c> shows): <c>Scheduled</c>; per container <c>Pulled</c>, <c>Created</c>, <c>Started</c>,
/// or the start error (<c>ErrImageNeverPull</c> and <c>Failed</c>); <c>Unhealthy</c> per failed probe,
/// <c>Killing</c>, <c>BackOff</c>. Without <see cref="KubeletOptions.Events"/> nothing is recorded.
/// </summary>
internal sealed class PodEvents
{
    public const string Scheduler = "default-scheduler";
    public const string Kubelet = "kubelet";

    private readonly V1Pod _pod;
    private readonly string _node;
    private readonly EventRecorder? _kubelet;
    private readonly EventRecorder? _scheduler;

    public PodEvents(V1Pod pod, KubeletOptions options)
    {
        _pod = pod;
        _node = string.IsNullOrEmpty(pod.Spec?.NodeName) ? options.NodeName : pod.Spec.NodeName;
        _kubelet = options.Events?.Recorder(Kubelet, _node);
        _scheduler = options.Events?.Recorder(Scheduler);
    }

    /// <summary>
    /// The pod is on this node. The sandbox has no scheduler: the kubelet that takes a pod is where it was scheduled,
    /// so the scheduler's Event is recorded when the kubelet starts it.
    /// </summary>
    public void Scheduled() =>
        _scheduler?.Normal(KubernetesEventTargets.Of(_pod), "Scheduled", $"Successfully assigned {_pod.Metadata.NamespaceProperty}/{_pod.Metadata.Name} to {_node}");

    /// <summary>The container runs: its image was there (pull policy aside, the sandbox never pulls), it was created and started.</summary>
    public void ContainerStarted(string container)
    {
        var target = Container(container);
        _kubelet?.Normal(target, "Pulled", $"Container image \"{ImageOf(container)}\" already present on machine");
        _kubelet?.Normal(target, "Created", $"Created container: {container}");
        _kubelet?.Normal(target, "Started", $"Started container {container}");
    }

    /// <summary>The container could not start; a missing image is reported first as the image manager reports it.</summary>
    public void StartFailed(string container, string reason, string message)
    {
        var target = Container(container);
        if (reason == "ErrImageNeverPull")
        {
            _kubelet?.Warning(target, reason, message);
        }

        _kubelet?.Warning(target, "Failed", reason == "ErrImageNeverPull" ? "Error: ErrImageNeverPull" : $"Error: {message}");
    }

    public void PostStartHookFailed(string container) => _kubelet?.Warning(Container(container), "FailedPostStartHook", "PostStartHook failed");

    /// <summary>A probe failed (<paramref name="probe"/>: Liveness, Readiness or Startup).</summary>
    public void Unhealthy(string container, string probe, string detail) =>
        _kubelet?.Warning(Container(container), "Unhealthy", $"{probe} probe failed: {detail}");

    /// <summary>The kubelet stops the container: the pod was deleted, or a probe failed (<paramref name="probe"/>).</summary>
    public void Killing(string container, string? probe = null) =>
        _kubelet?.Normal(
            Container(container),
            "Killing",
            probe is null ? $"Stopping container {container}" : $"Container {container} failed {probe} probe, will be restarted");

    /// <summary>The container waits out the crash-loop back-off; the same message each time, so the Event counts up.</summary>
    public void BackOff(string container) =>
        _kubelet?.Warning(
            Container(container),
            "BackOff",
            $"Back-off restarting failed container {container} in pod {_pod.Metadata.Name}_{_pod.Metadata.NamespaceProperty}({_pod.Metadata.Uid})");

    private EventTarget Container(string container) => KubernetesEventTargets.Of(_pod, container);

    private string? ImageOf(string container) =>
        (_pod.Spec?.Containers ?? []).Concat(_pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == container)?.Image;
}
