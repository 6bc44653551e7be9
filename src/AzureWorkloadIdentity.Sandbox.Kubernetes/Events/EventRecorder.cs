namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Events;

/// <summary>
/// What one component (<c>kubelet</c> on a node, <c>default-scheduler</c>, <c>replicaset-controller</c>, …) uses to
/// record Events, as client-go's <c>EventRecorder</c>: the component and host become the Event's <c>source</c> and
/// <c>reportingComponent</c>/<c>reportingInstance</c>. Recording never fails and never blocks on the network: the
/// Event goes straight to the API server's store (see <see cref="ClusterEvents"/>).
/// </summary>
public sealed class EventRecorder
{
    private readonly ClusterEvents _sink;

    internal EventRecorder(ClusterEvents sink, string component, string? host)
    {
        _sink = sink;
        Component = component;
        Host = host;
    }

    public string Component { get; }

    /// <summary>The node (for the kubelet); null for controllers, as theirs is empty.</summary>
    public string? Host { get; }

    /// <summary>Records an Event of <paramref name="type"/> (<c>Normal</c> or <c>Warning</c>).</summary>
    public void Record(EventTarget target, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(target);
        _sink.Record(this, target, type, reason, message);
    }

    public void Normal(EventTarget target, string reason, string message) => Record(target, "Normal", reason, message);

    public void Warning(EventTarget target, string reason, string message) => Record(target, "Warning", reason, message);
}
