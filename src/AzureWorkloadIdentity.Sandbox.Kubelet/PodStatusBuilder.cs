using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The status a kubelet writes for a pod, from what the sandbox kubelet knows of each container: <c>phase</c>,
/// the four conditions, <c>initContainerStatuses</c> and <c>containerStatuses</c> (state, exit code, reason), the
/// pod's IP (its network's eth0, or 127.0.0.1 for a pod on the machine's network).
/// </summary>
internal static class PodStatusBuilder
{
    public static V1PodStatus Build(V1Pod pod, string podIp, string phase, string? message, IReadOnlyDictionary<string, ContainerSnapshot> states, DateTime startedAt)
    {
        var init = (pod.Spec.InitContainers ?? []).Select(c => Status(c, states, sidecar: c.RestartPolicy == "Always")).ToList();
        var regular = (pod.Spec.Containers ?? []).Select(c => Status(c, states, sidecar: false)).ToList();
        var initialized = init.All(s => s.Ready || s.State?.Terminated?.ExitCode == 0);
        var containersReady = regular.All(s => s.Ready) && init.Where(s => s.Started is not null).All(s => s.Ready);
        var now = DateTime.UtcNow;
        return new V1PodStatus
        {
            Phase = phase,
            Message = message,
            Reason = regular.Concat(init).Select(s => s.State?.Waiting?.Reason).FirstOrDefault(r => r is not null),
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            HostIP = LocalPod.LoopbackIp,
            StartTime = startedAt,
            Conditions =
            [
                Condition("PodScheduled", true, now),
                Condition("Initialized", initialized, now),
                Condition("ContainersReady", containersReady && phase == "Running", now),
                Condition("Ready", containersReady && phase == "Running", now),
            ],
            InitContainerStatuses = init,
            ContainerStatuses = regular,
        };
    }

    private static V1ContainerStatus Status(V1Container container, IReadOnlyDictionary<string, ContainerSnapshot> states, bool sidecar)
    {
        var known = states.GetValueOrDefault(container.Name);
        var state = known?.State ?? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "PodInitializing" } };
        var running = state.Running is not null;
        return new V1ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = string.Empty,
            State = state,
            LastState = known?.LastState,
            Ready = running && known?.Ready == true,
            Started = sidecar || running ? running && known?.Started != false : null,
            RestartCount = known?.RestartCount ?? 0,
        };
    }

    private static V1PodCondition Condition(string type, bool status, DateTime now) =>
        new() { Type = type, Status = status ? "True" : "False", LastTransitionTime = now };
}
