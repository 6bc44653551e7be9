using AzureWorkloadIdentity.Webhook.Certificates;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>The hosted service: reconciles at start and again every interval (on the fake clock).</summary>
public sealed class CertificateRotationServiceTests
{
    [Fact(Timeout = 60_000)]
    public async Task Execute_CaBundleOverwrittenBetweenPasses_RepairedOnNextInterval()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var options = Options();
        var state = new CertificateRotationState();
        using var service = new CertificateRotationService(cluster.Rotator(state, options), options, state, cluster.Time, NullLogger<CertificateRotationService>.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));

        await service.StartAsync(timeout.Token);
        await WaitUntilAsync(async () => (await cluster.ConfigurationAsync()).Webhooks.All(w => w.ClientConfig.CaBundle is { Length: > 0 }), timeout.Token);
        var injected = (await cluster.ConfigurationAsync()).Webhooks[0].ClientConfig.CaBundle;

        await cluster.OverwriteCaBundleAsync(null);
        await WaitUntilAsync(async () =>
        {
            cluster.Time.Advance(options.ReconcileInterval);
            return (await cluster.ConfigurationAsync()).Webhooks.All(w => w.ClientConfig.CaBundle is { } b && b.AsSpan().SequenceEqual(injected));
        }, timeout.Token);

        await service.StopAsync(timeout.Token);
        Assert.Null(state.LastError);
    }

    [Fact(Timeout = 60_000)]
    public async Task Execute_CaBundleOverwrittenWithWatch_RepairedWithoutWaitingForInterval()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var options = Options();
        options.ReconcileInterval = TimeSpan.FromHours(1);
        var state = new CertificateRotationState();
        var watch = cluster.Watch(options, state);
        using var service = new CertificateRotationService(cluster.Rotator(state, options), options, state, cluster.Time, NullLogger<CertificateRotationService>.Instance, watch);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await service.StartAsync(timeout.Token);
        await WaitUntilAsync(() => Task.FromResult(state.DesiredBundle is not null), timeout.Token);
        var injected = state.DesiredBundle!;

        // The clock never moves: only the watch can trigger the repair.
        await cluster.OverwriteCaBundleAsync(System.Text.Encoding.ASCII.GetBytes("overwritten"));
        await WaitUntilAsync(async () =>
            (await cluster.ConfigurationAsync()).Webhooks.All(w => w.ClientConfig.CaBundle is { } b && b.AsSpan().SequenceEqual(injected)), timeout.Token);

        await service.StopAsync(timeout.Token);
        // The first injection, the overwrite, the repair: the repair did not start a write loop.
        Assert.Equal(3, cluster.Server.Requests.Count("update", "mutatingwebhookconfigurations"));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("deleted")]
    [InlineData("corrupted")]
    public async Task Execute_SecretLostWithWatch_RepairedWithoutWaitingForInterval(string loss)
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var options = Options();
        options.ReconcileInterval = TimeSpan.FromHours(1);
        var state = new CertificateRotationState();
        using var service = new CertificateRotationService(cluster.Rotator(state, options), options, state, cluster.Time, NullLogger<CertificateRotationService>.Instance, cluster.Watch(options, state));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await service.StartAsync(timeout.Token);
        await WaitUntilAsync(() => Task.FromResult(state.DesiredBundle is not null), timeout.Token);
        var first = CertificateMaterial.FromSecretData((await cluster.SecretAsync()).Data);

        // The clock never moves: only the Secret watch can trigger the repair.
        if (loss == "deleted")
        {
            await cluster.Client.CoreV1.DeleteNamespacedSecretAsync("wi-cert", "wi-system", cancellationToken: timeout.Token);
        }
        else
        {
            var secret = await cluster.SecretAsync();
            secret.Data["ca.key"] = System.Text.Encoding.ASCII.GetBytes("corrupted");
            await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "wi-cert", "wi-system", cancellationToken: timeout.Token);
        }

        await WaitUntilAsync(async () =>
        {
            try
            {
                var repaired = CertificateMaterial.FromSecretData((await cluster.SecretAsync()).Data);
                return repaired.CaKeyPem.Contains("PRIVATE KEY", StringComparison.Ordinal) && repaired.CaKeyPem != first.CaKeyPem;
            }
            catch (k8s.Autorest.HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        }, timeout.Token);

        await service.StopAsync(timeout.Token);
    }

    [Fact(Timeout = 60_000)]
    public async Task Execute_WebhookConfigurationMissing_RecordsErrorAndRecoversWhenCreated()
    {
        await using var cluster = await SandboxCluster.StartAsync(createConfiguration: false);
        var options = Options();
        var state = new CertificateRotationState();
        using var service = new CertificateRotationService(cluster.Rotator(state, options), options, state, cluster.Time, NullLogger<CertificateRotationService>.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));

        await service.StartAsync(timeout.Token);
        await WaitUntilAsync(() => Task.FromResult(state.LastError?.Contains("wi-mwc", StringComparison.Ordinal) == true), timeout.Token);
        Assert.Contains("wi-mwc", state.LastError, StringComparison.Ordinal);

        await cluster.Client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(SandboxCluster.Configuration(1), cancellationToken: timeout.Token);
        await WaitUntilAsync(() =>
        {
            cluster.Time.Advance(options.ReconcileInterval);
            return Task.FromResult(state.LastError is null && state.WebhookCaBundles.Count == 1);
        }, timeout.Token);
        Assert.Null(state.LastError);
        Assert.Single(state.WebhookCaBundles);

        await service.StopAsync(timeout.Token);
    }

    // Polls a condition with a short real delay; bounded by the test's token. No timing is asserted.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
