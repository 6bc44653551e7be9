namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// How the sandbox kubelet paces restarts and probes. The defaults are a kubelet's; tests shorten the back-off so a
/// crash loop takes milliseconds, not minutes.
/// </summary>
public sealed record KubeletOptions
{
    /// <summary>The one node's name, unless <see cref="NodeName"/> says otherwise.</summary>
    public const string DefaultNodeName = "sandbox-node";

    /// <summary>The wait before a container's first restart; it doubles with every further restart (a kubelet's: 10 s).</summary>
    public TimeSpan RestartBackoffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between restarts (a kubelet's: 5 min).</summary>
    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock of back-offs and probe periods.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the API server finds the pods this kubelet runs, for <c>kubectl logs</c>, <c>exec</c> and
    /// <c>port-forward</c>; pods are not reachable that way without one.
    /// </summary>
    public Streaming.KubeletStreamingServer? StreamingServer { get; init; }

    /// <summary>Where the kubelet (and the scheduler stand-in) record pods' Events; none are recorded without it.</summary>
    public Kubernetes.Events.ClusterEvents? Events { get; init; }

    /// <summary>
    /// The node this kubelet plays: it binds the pods it runs to it (<c>spec.nodeName</c>); the Events' host and where
    /// <c>Scheduled</c> says a pod was assigned.
    /// </summary>
    public string NodeName { get; init; } = DefaultNodeName;
}
