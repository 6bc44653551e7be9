namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>Values of <c>--proxy-sidecar-mode</c>: where the <c>azwi-proxy</c> sidecar goes.</summary>
internal static class ProxySidecarModes
{
    /// <summary>Native sidecar when the API server is Kubernetes 1.32 or later (asked once at start-up), else a regular container.</summary>
    public const string Auto = "auto";

    /// <summary>Always an init container with <c>restartPolicy: Always</c>.</summary>
    public const string Native = "native";

    /// <summary>Always the first regular container (a Job's pod then never completes).</summary>
    public const string Container = "container";

    public static bool IsValid(string? mode) => mode is Auto or Native or Container;
}
