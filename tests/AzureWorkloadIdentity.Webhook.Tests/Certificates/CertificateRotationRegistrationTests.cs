using AzureWorkloadIdentity.Webhook.Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

public sealed class CertificateRotationRegistrationTests
{
    [Fact]
    public void Read_NoSettings_OriginalDefaults()
    {
        var options = CertificateRotationServiceCollectionExtensions.Read(Configuration());

        Assert.True(options.Enabled);
        Assert.Equal("azure-workload-identity-system", options.Namespace);
        Assert.Equal("azure-wi-webhook-webhook-service.azure-workload-identity-system.svc", options.DnsName);
        Assert.Equal("azure-wi-webhook-server-cert", options.SecretName);
        Assert.Equal("azure-wi-webhook-mutating-webhook-configuration", options.WebhookConfigurationName);
        Assert.Equal("/certs", options.CertDir);
    }

    [Fact]
    public void Read_FlagsEnvironmentAndSection_SectionWins()
    {
        var options = CertificateRotationServiceCollectionExtensions.Read(Configuration(
            ("POD_NAMESPACE", "wi"),
            ("Webhook:WebhookCertDir", "/tmp/certs"),
            ("CertificateRotation:ServiceName", "svc"),
            ("CertificateRotation:CertDir", "/elsewhere"),
            ("CertificateRotation:ReconcileInterval", "00:00:05")));

        Assert.Equal("svc.wi.svc", options.DnsName);
        Assert.Equal("/elsewhere", options.CertDir);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReconcileInterval);
    }

    [Fact]
    public void AddCertificateRotation_Disabled_RegistersNothing()
    {
        var services = new ServiceCollection();

        services.AddCertificateRotation(Configuration(("Webhook:DisableCertRotation", "true")));

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(IHostedService));
        Assert.DoesNotContain(services, s => s.ServiceType == typeof(CertificateRotator));
    }

    [Fact]
    public void AddCertificateRotation_Enabled_RegistersServiceAndReadinessCheck()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new AzureWorkloadIdentity.Webhook.KubernetesApi.KubernetesApiClient(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }));

        services.AddCertificateRotation(Configuration(("KUBERNETES_SERVICE_HOST", "10.0.0.1")));

        Assert.Contains(services, s => s.ImplementationType == typeof(CertificateRotationService));
        using var provider = services.AddLogging().BuildServiceProvider();
        var health = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>().Value;
        var registration = Assert.Single(health.Registrations, r => r.Name == CaBundleHealthCheck.Name);
        Assert.Contains("ready", registration.Tags);
        Assert.False(provider.GetRequiredService<CertificateRotator>().WritesFiles);
    }

    [Fact]
    public void AddCertificateRotation_InvalidWindows_ThrowsListingEveryProblem()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCertificateRotation(Configuration(
            ("CertificateRotation:ServiceName", ""),
            ("CertificateRotation:ServerRenewBefore", "400.00:00:00"))));

        Assert.Contains("ServiceName must not be empty", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ServerRenewBefore", exception.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
