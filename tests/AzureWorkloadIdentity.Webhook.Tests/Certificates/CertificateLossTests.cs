using System.Diagnostics;
using System.Text;
using AzureWorkloadIdentity.Webhook.Certificates;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// Two replicas with their own certificate rotation against the sandbox API server, each with a test kubelet that
/// projects the Secret into its cert dir late. The Secret is deleted and then corrupted while the files have not
/// arrived; every TLS handshake against either replica is verified against the caBundle live at that moment.
/// </summary>
public sealed class CertificateLossTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Run_SecretDeletedThenCorruptedWithLateFiles_NoFailedHandshakeAndOldCasDropped()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        // The interval is far beyond the test: every repair below is started by the watches.
        var rotation = new Dictionary<string, string>
        {
            ["WriteCertificateFiles"] = "false",
            ["ReconcileInterval"] = "00:10:00",
            ["ServingRecordLifetime"] = "01:00:00",
        };
        await using var a = await RotatingWebhook.StartAsync(cluster, new Dictionary<string, string>(rotation) { ["ReplicaName"] = "replica-a" });
        await using var b = await RotatingWebhook.StartAsync(cluster, new Dictionary<string, string>(rotation) { ["ReplicaName"] = "replica-b" });
        await using var kubeletA = new LateSecretKubelet(cluster.Client, a.CertDir, TimeSpan.FromMilliseconds(500));
        await using var kubeletB = new LateSecretKubelet(cluster.Client, b.CertDir, TimeSpan.FromSeconds(2));
        RotatingWebhook[] replicas = [a, b];
        string? original = null;
        await WaitAsync("both replicas ready, serving the first CA, which alone is trusted", async () =>
            (original = await SigningCaAsync(cluster)) is not null
            && await a.IsReadyAsync(timeout.Token) && await b.IsReadyAsync(timeout.Token)
            && replicas.All(r => ChainsTo(r, original)) && await CaBundleAsync(cluster) is [var only] && only == original, timeout.Token);

        await using var probeA = new HandshakeProbe(cluster, a.MutateUri.Port);
        await using var probeB = new HandshakeProbe(cluster, b.MutateUri.Port);
        await using var readiness = new ReadinessSampler([a, b]);
        kubeletA.Held = kubeletB.Held = true;

        var clock = Stopwatch.StartNew();
        await cluster.Client.CoreV1.DeleteNamespacedSecretAsync("wi-cert", "wi-system", cancellationToken: timeout.Token);
        var afterDeletion = await WaitForRepairAsync(cluster, [original!], timeout.Token);
        var deletionRepair = clock.Elapsed;

        clock.Restart();
        var secret = await cluster.SecretAsync();
        secret.Data["ca.key"] = Encoding.ASCII.GetBytes("-----BEGIN PRIVATE KEY-----\ncorrupted\n-----END PRIVATE KEY-----\n");
        await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "wi-cert", "wi-system", cancellationToken: timeout.Token);
        var afterCorruption = await WaitForRepairAsync(cluster, [original!, afterDeletion], timeout.Token);
        var corruptionRepair = clock.Elapsed;
        Assert.Contains(original, await CaBundleAsync(cluster));

        // The files arrive: replicas switch to the newest CA, and only then do the previous CAs leave the caBundle.
        kubeletA.Held = kubeletB.Held = false;
        await WaitAsync("both replicas serve the newest CA and the caBundle trusts only it", async () =>
            replicas.All(r => ChainsTo(r, afterCorruption)) && await CaBundleAsync(cluster) is [var only] && only == afterCorruption, timeout.Token);
        await WaitAsync("handshakes after the switch", () => Task.FromResult(probeA.Succeeded > 0 && probeB.Succeeded > 0), timeout.Token);

        var (okA, failedA) = await probeA.StopAsync();
        var (okB, failedB) = await probeB.StopAsync();
        var (samples, neitherReady) = await readiness.StopAsync();
        output.WriteLine($"repair after deletion: {deletionRepair.TotalMilliseconds:F0} ms; after corruption: {corruptionRepair.TotalMilliseconds:F0} ms");
        output.WriteLine($"handshakes: replica a {okA} ok, {failedA.Count} failed; replica b {okB} ok, {failedB.Count} failed; readiness samples {samples}, neither ready in {neitherReady}");
        Assert.True(kubeletA.Projections >= 2 && kubeletB.Projections >= 2, "the late kubelets projected the first and the repaired Secret");
        Assert.True(okA > 0 && okB > 0, "both replicas were probed");
        Assert.Empty(failedA);
        Assert.Empty(failedB);
        Assert.True(samples > 0, "readiness was sampled");
        Assert.Equal(0, neitherReady);
    }

    /// <summary>Waits until the Secret holds a new usable CA that the live caBundle trusts; returns its thumbprint.</summary>
    private async Task<string> WaitForRepairAsync(SandboxCluster cluster, string[] previous, CancellationToken cancellationToken)
    {
        string? repaired = null;
        await WaitAsync("Secret and caBundle repaired", async () =>
        {
            repaired = await SigningCaAsync(cluster);
            return repaired is not null && !previous.Contains(repaired) && (await CaBundleAsync(cluster)).Contains(repaired);
        }, cancellationToken, pollMilliseconds: 10);
        return repaired!;
    }

    /// <summary>True when the replica serves a certificate of the CA with that (SHA-1) thumbprint, by its own view.</summary>
    private static bool ChainsTo(RotatingWebhook replica, string? caThumbprint) =>
        replica.Served is { } served
        && replica.State.WebhookCaBundles.SelectMany(bundle => bundle)
            .Any(ca => ca.Thumbprint == caThumbprint && CertificateInspector.ChainsTo(served, [ca], DateTimeOffset.UtcNow));

    /// <summary>The Secret's signing CA (first of ca.crt) when its key is usable, else null.</summary>
    private static async Task<string?> SigningCaAsync(SandboxCluster cluster)
    {
        V1Secret secret;
        try
        {
            secret = await cluster.SecretAsync();
        }
        catch (k8s.Autorest.HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        var material = CertificateMaterial.FromSecretData(secret.Data);
        var bundle = CertificateInspector.ParseBundle(material.CaBundlePem);
        try
        {
            using var authority = AzureWorkloadIdentity.Core.Certificates.CertificateAuthority.FromPem(bundle[0].ExportCertificatePem(), material.CaKeyPem);
            return authority.Certificate.Thumbprint;
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Thumbprints of the first webhook's live caBundle (every entry gets the same).</summary>
    private static async Task<string[]> CaBundleAsync(SandboxCluster cluster) =>
        [.. CertificateRotator.CaBundles(await cluster.ConfigurationAsync()).First().Select(ca => ca.Thumbprint)];

    private async Task WaitAsync(string what, Func<Task<bool>> condition, CancellationToken cancellationToken, int pollMilliseconds = 50)
    {
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} waiting for: {what}");
        try
        {
            while (!await condition())
            {
                await Task.Delay(pollMilliseconds, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out waiting for: {what}");
        }
    }
}
