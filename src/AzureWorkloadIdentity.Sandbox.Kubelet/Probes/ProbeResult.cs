namespace AzureWorkloadIdentity.Sandbox.Kubelet.Probes;

/// <summary>One probe's outcome and, when it failed, why — what the kubelet puts after <c>Liveness probe failed: </c>.</summary>
public readonly record struct ProbeResult(bool Succeeded, string Detail)
{
    public static ProbeResult Success { get; } = new(true, string.Empty);

    public static ProbeResult Failure(string detail) => new(false, detail);
}
