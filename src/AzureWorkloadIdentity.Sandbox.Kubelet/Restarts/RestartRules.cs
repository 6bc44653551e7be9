namespace AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;

/// <summary>Whether a container that ended is started again, from the pod's <c>restartPolicy</c>, as a kubelet decides.</summary>
public static class RestartRules
{
    public const string Always = "Always";
    public const string OnFailure = "OnFailure";
    public const string Never = "Never";

    /// <summary>
    /// A native sidecar (an init container with <c>restartPolicy: Always</c>) always restarts; a regular container
    /// follows the pod's policy, <c>Always</c> when the pod names none (the API server's default).
    /// </summary>
    public static bool ShouldRestart(string? podRestartPolicy, bool sidecar, int exitCode) =>
        sidecar || (podRestartPolicy ?? Always) switch
        {
            Always => true,
            OnFailure => exitCode != 0,
            _ => false,
        };

    /// <summary>A failed init container runs again unless the pod's policy is <c>Never</c>.</summary>
    public static bool ShouldRestartInitContainer(string? podRestartPolicy) => (podRestartPolicy ?? Always) != Never;
}
