using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>What the kubelet knows of one container for the pod's status: its state, readiness, restarts and last end.</summary>
internal sealed record ContainerSnapshot(V1ContainerState State, bool Ready, int RestartCount, V1ContainerState? LastState);
