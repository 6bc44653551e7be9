using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.KubernetesApi;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>
/// Decides at start-up, once, where the proxy sidecar goes (<c>--proxy-sidecar-mode</c>): <c>native</c> and
/// <c>container</c> as told; <c>auto</c> asks the API server's <c>/version</c> and chooses native from 1.32. A
/// version that cannot be read falls back to a regular container, which runs on every version (only Jobs do not
/// complete). The decision and its reason are logged once. <c>mode</c> is the validated <see cref="WebhookOptions.ProxySidecarMode"/>.
/// </summary>
internal sealed partial class ProxySidecarPlacementService(
    string mode, ProxySidecarPlacement placement, IServiceProvider services, ILogger<ProxySidecarPlacementService> logger) : IHostedService
{
    /// <summary>How long start-up waits for <c>/version</c> before it falls back to a regular container.</summary>
    public static TimeSpan VersionTimeout { get; } = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (native, reason) = mode switch
        {
            ProxySidecarModes.Native => (true, "--proxy-sidecar-mode=native"),
            ProxySidecarModes.Container => (false, "--proxy-sidecar-mode=container"),
            _ => await AskServerAsync(cancellationToken),
        };
        placement.Decide(native, reason);
        LogDecided(logger, placement.Native ? "native sidecar (init container with restartPolicy: Always)" : "regular container (first in containers)", placement.Reason);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(bool Native, string Reason)> AskServerAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<KubernetesApiClient>() is not { } client)
        {
            return (false, "--proxy-sidecar-mode=auto and no Kubernetes API connection to ask for its version");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(VersionTimeout);
            var info = await client.GetAsync("/version", KubernetesApiJsonContext.Default.VersionInfo, timeout.Token);
            var version = ServerVersion.Parse(info);
            if (version is null)
            {
                return (false, $"--proxy-sidecar-mode=auto and the API server's version \"{info?.GitVersion}\" could not be read");
            }

            var native = version >= ServerVersion.NativeSidecarMinimum;
            return (native, $"--proxy-sidecar-mode=auto and the API server is Kubernetes {version.Major}.{version.Minor} "
                + (native ? "(1.32 or later)" : "(before 1.32)"));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or k8s.Autorest.HttpOperationException or System.Text.Json.JsonException or InvalidDataException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (false, $"--proxy-sidecar-mode=auto and asking the API server for its version failed: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "proxy sidecar injected as a {Placement}: {Reason}")]
    private static partial void LogDecided(ILogger logger, string placement, string reason);
}
