using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

public sealed class CertificateRotationRegistrationTests
{
    [Fact]
    public void Load_NoSettings_OriginalDefaults()
    {
        var options = Load().CertificateRotation;

        Assert.True(options.Enabled);
        Assert.Equal("azure-workload-identity-system", options.Namespace);
        Assert.Equal("azure-wi-webhook-webhook-service.azure-workload-identity-system.svc", options.DnsName);
        Assert.Equal("azure-wi-webhook-server-cert", options.SecretName);
        Assert.Equal("azure-wi-webhook-mutating-webhook-configuration", options.WebhookConfigurationName);
        Assert.Equal("/certs", options.CertDir);
        Assert.True(options.WriteCertificateFiles);
    }

    [Fact]
    public void Load_FlagsEnvironmentAndSection_SectionWins()
    {
        var options = Load(
            ["--webhook-cert-dir", "/tmp/certs"],
            ("POD_NAMESPACE", "wi"),
            ("CertificateRotation:ServiceName", "svc"),
            ("CertificateRotation:CertDir", "/elsewhere"),
            ("CertificateRotation:ReconcileInterval", "00:00:05")).CertificateRotation;

        Assert.Equal("svc.wi.svc", options.DnsName);
        Assert.Equal("/elsewhere", options.CertDir);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReconcileInterval);
    }

    [Fact]
    public void Load_InPod_LeavesTheFilesToTheKubelet()
    {
        var settings = Load([], ("KUBERNETES_SERVICE_HOST", "10.0.0.1"));

        Assert.True(settings.Webhook.InCluster);
        Assert.False(settings.CertificateRotation.WriteCertificateFiles);
    }

    [Fact]
    public void AddCertificateRotation_Disabled_RegistersNothing()
    {
        var services = new ServiceCollection();

        services.AddCertificateRotation(Load(["--disable-cert-rotation"]).CertificateRotation);

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(IHostedService));
        Assert.DoesNotContain(services, s => s.ServiceType == typeof(CertificateRotator));
    }

    [Fact]
    public void AddCertificateRotation_Enabled_RegistersServiceAndReadinessCheck()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new AzureWorkloadIdentity.Webhook.KubernetesApi.KubernetesApiClient(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }));

        services.AddCertificateRotation(Load([], ("KUBERNETES_SERVICE_HOST", "10.0.0.1")).CertificateRotation);

        Assert.Contains(services, s => s.ImplementationType == typeof(CertificateRotationService));
        using var provider = services.AddLogging().BuildServiceProvider();
        var health = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>().Value;
        var registration = Assert.Single(health.Registrations, r => r.Name == CaBundleHealthCheck.Name);
        Assert.Contains("ready", registration.Tags);
        Assert.False(provider.GetRequiredService<CertificateRotator>().WritesFiles);
    }

    [Fact]
    public void Load_InvalidWindows_ReportsEveryProblem()
    {
        var exception = Assert.Throws<StartupException>(() => Load(
            [],
            ("CertificateRotation:ServiceName", ""),
            ("CertificateRotation:ServerRenewBefore", "400.00:00:00")));

        Assert.Contains("CertificateRotation__ServiceName must not be empty", exception.Problems);
        Assert.Contains(exception.Problems, p => p.StartsWith("CertificateRotation__ServerRenewBefore is 400.00:00:00; it must be positive and shorter than ServerValidity", StringComparison.Ordinal));
    }

    private static WebhookConfiguration Load(string[]? args = null, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("AZURE_TENANT_ID", "t"), .. values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))]);
        return WebhookConfiguration.Load(configuration, args ?? []);
    }
}
