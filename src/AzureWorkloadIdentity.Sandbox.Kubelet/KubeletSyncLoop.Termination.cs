using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The node's side of a pod's life that the API server leaves to it: binding (the scheduler stand-in — the sandbox has
/// one node) and graceful deletion. A pod bound to a node is only marked when deleted (<c>deletionTimestamp</c>,
/// <c>deletionGracePeriodSeconds</c>); the kubelet stops its containers — SIGTERM, SIGKILL after the grace period —
/// and then removes it with grace 0, so <c>kubectl delete pod x --wait</c> returns once the containers have stopped.
/// </summary>
public sealed partial class KubeletSyncLoop
{
    /// <summary>Pods marked for deletion that this kubelet is stopping (by uid), so later events of theirs start nothing.</summary>
    private readonly ConcurrentDictionary<string, bool> _terminating = new(StringComparer.Ordinal);

    /// <summary>Binds an unbound pod to this node, as the scheduler does; returns the pod as bound.</summary>
    private async Task<V1Pod> BindAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            return pod;
        }

        // kube-scheduler POSTs a pods/binding, which the sandbox does not serve; a merge patch of spec.nodeName (all a
        // binding changes) goes through the same admission and watch events.
        var patch = new V1Patch($$$"""{"spec":{"nodeName":"{{{_options.NodeName}}}"}}""", V1Patch.PatchType.MergePatch);
        return await _client.CoreV1.PatchNamespacedPodAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty ?? "default", cancellationToken: cancellationToken);
    }

    /// <summary>A pod marked for deletion: stop it once (gracefully when this kubelet runs it), then remove it.</summary>
    private void Terminate(V1Pod pod)
    {
        var uid = pod.Metadata.Uid;
        if (pod.Spec.NodeName != _options.NodeName || !_terminating.TryAdd(uid, true))
        {
            return;
        }

        _pods.TryRemove(uid, out var running);
        _ = TerminateAsync(pod, running);
    }

    private async Task TerminateAsync(V1Pod pod, RunningPod? running)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var grace = TimeSpan.FromSeconds(Math.Max(0, pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30));
        try
        {
            if (running is not null)
            {
                // A pod still starting is cancelled; a running one's containers get their grace period first.
                if (running.Run is { } run)
                {
                    await run.TerminateAsync(grace);
                }

                await StopPodAsync(running);
            }

            await _client.CoreV1.DeleteNamespacedPodAsync(
                pod.Metadata.Name, ns,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                cancellationToken: _stopping.Token);
            LogTerminated(_logger, ns, pod.Metadata.Name, (long)grace.TotalSeconds);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Gone already, or the API server is away: the watch brings the pod back if it is still there.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _terminating.TryRemove(pod.Metadata.Uid, out _);
            LogTerminateFailed(_logger, ns, pod.Metadata.Name, e.Message);
        }
    }

    [LoggerMessage(6, LogLevel.Information, "kubelet: pod {Namespace}/{Pod} stopped within its grace period of {Grace} s and removed")]
    private static partial void LogTerminated(ILogger logger, string @namespace, string pod, long grace);

    [LoggerMessage(7, LogLevel.Warning, "kubelet: pod {Namespace}/{Pod} was marked for deletion but could not be removed: {Reason}")]
    private static partial void LogTerminateFailed(ILogger logger, string @namespace, string pod, string reason);
}
