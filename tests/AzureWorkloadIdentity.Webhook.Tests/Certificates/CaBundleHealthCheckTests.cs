using System.Security.Authentication;
using System.Text;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>/readyz transitions: ready only while the served certificate chains to the webhook configuration's caBundle.</summary>
public sealed class CaBundleHealthCheckTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("wi-ready-");

    [Fact(Timeout = 60_000)]
    public async Task Check_ThroughRotationLifecycle_ReadinessFollowsCaBundle()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var state = new CertificateRotationState();
        using var serving = new ServingCertificate(_directory.FullName, SslProtocols.Tls13, TimeSpan.FromHours(1), TimeProvider.System, NullLogger<ServingCertificate>.Instance);
        var check = new CaBundleHealthCheck(serving, state, cluster.Time);
        var rotator = cluster.Rotator(state, Options(_directory.FullName), writeFiles: true);

        var before = await CheckAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Contains("no serving certificate", before.Description, StringComparison.Ordinal);

        var material = await rotator.ReconcileAsync(CancellationToken.None);
        serving.Reload();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);

        // Someone replaces the caBundle with another CA: once observed, this replica is no longer ready.
        var foreign = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        await cluster.OverwriteCaBundleAsync(foreign.CaBundleBytes);
        state.Observed([.. (await cluster.ConfigurationAsync()).Webhooks.Select(w => CertificateInspector.ParseBundle(Encoding.ASCII.GetString(w.ClientConfig.CaBundle)))]);
        var broken = await CheckAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, broken.Status);
        Assert.Contains("does not chain", broken.Description, StringComparison.Ordinal);

        // The next reconcile repairs it.
        await rotator.ReconcileAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
        Assert.Equal(material, CertificateMaterial.FromSecretData((await cluster.SecretAsync()).Data));
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_CertificateLoadedButBundleNeverRead_UnhealthyWithReason()
    {
        var material = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        CertificateFiles.Write(_directory.FullName, material);
        using var serving = new ServingCertificate(_directory.FullName, SslProtocols.Tls13, TimeSpan.FromHours(1), TimeProvider.System, NullLogger<ServingCertificate>.Instance);
        var state = new CertificateRotationState();
        state.Failed("cannot get mutatingwebhookconfiguration wi-mwc: HTTP 403 Forbidden");

        var result = await CheckAsync(new CaBundleHealthCheck(serving, state, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start)));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("403 Forbidden", result.Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_ServedCertificateExpired_Unhealthy()
    {
        var material = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        CertificateFiles.Write(_directory.FullName, material);
        using var serving = new ServingCertificate(_directory.FullName, SslProtocols.Tls13, TimeSpan.FromHours(1), TimeProvider.System, NullLogger<ServingCertificate>.Instance);
        var state = new CertificateRotationState();
        state.Reconciled(material.CaBundleBytes, [Bundle(material)]);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var check = new CaBundleHealthCheck(serving, state, time);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);

        time.Advance(Options().ServerValidity + TimeSpan.FromDays(1));

        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(check)).Status);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static Task<HealthCheckResult> CheckAsync(CaBundleHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration(CaBundleHealthCheck.Name, check, HealthStatus.Unhealthy, ["ready"]),
        });
}
