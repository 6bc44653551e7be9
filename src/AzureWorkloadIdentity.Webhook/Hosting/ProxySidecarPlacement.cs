namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>
/// Whether the proxy sidecar is injected as a native sidecar: decided once at start-up by
/// <see cref="ProxySidecarPlacementService"/>, read when the mutator is built, never per admission.
/// </summary>
public sealed class ProxySidecarPlacement
{
    private volatile Decision? _decision;

    /// <summary>True once decided.</summary>
    public bool IsDecided => _decision is not null;

    /// <summary>True for an init container with <c>restartPolicy: Always</c>, false for a regular container.</summary>
    /// <exception cref="InvalidOperationException">Not decided yet (the start-up service has not run).</exception>
    public bool Native => (_decision ?? throw new InvalidOperationException("the proxy sidecar placement is decided at start-up and has not been decided yet")).Native;

    /// <summary>Why <see cref="Native"/> has its value, for the start-up log.</summary>
    public string Reason => _decision?.Reason ?? "not decided yet";

    /// <summary>Records the decision; the first one stands.</summary>
    public void Decide(bool native, string reason) => Interlocked.CompareExchange(ref _decision, new Decision(native, reason), null);

    private sealed record Decision(bool Native, string Reason);
}
