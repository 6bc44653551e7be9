namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// How the sandbox kubelet paces restarts and probes. The defaults are a kubelet's; tests shorten the back-off so a
/// crash loop takes milliseconds, not minutes.
/// </summary>
public sealed record KubeletOptions
{
    /// <summary>The wait before a container's first restart; it doubles with every further restart (a kubelet's: 10 s).</summary>
    public TimeSpan RestartBackoffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between restarts (a kubelet's: 5 min).</summary>
    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The node this kubelet is: it binds the pods it runs to it (<c>spec.nodeName</c>).</summary>
    public string NodeName { get; init; } = "sandbox-node";

    /// <summary>The clock of back-offs and probe periods.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the API server finds the pods this kubelet runs, for <c>kubectl logs</c>, <c>exec</c> and
    /// <c>port-forward</c>; pods are not reachable that way without one.
    /// </summary>
    public Streaming.KubeletStreamingServer? StreamingServer { get; init; }
}
