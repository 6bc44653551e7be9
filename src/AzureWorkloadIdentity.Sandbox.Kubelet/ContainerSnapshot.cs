using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// What the kubelet knows of one container for the pod's status: its state, readiness, restarts, last end, and
/// whether its startup probe (if any) has succeeded.
/// </summary>
internal sealed record ContainerSnapshot(V1ContainerState State, bool Ready, int RestartCount, V1ContainerState? LastState, bool Started = true);
