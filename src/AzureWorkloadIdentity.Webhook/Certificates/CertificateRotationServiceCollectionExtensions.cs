using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AzureWorkloadIdentity.Webhook.Certificates;

public static class CertificateRotationServiceCollectionExtensions
{
    /// <summary>Health-check tag that <c>/readyz</c> evaluates (the same value as the hosting's ready tag).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Registers the built-in certificate rotation unless <c>--disable-cert-rotation</c> is set: the hosted service,
    /// the <see cref="CertificateRotator"/>, and the readiness check <see cref="CaBundleHealthCheck.Name"/> (tagged
    /// <c>ready</c>: healthy only while the served certificate chains to the webhook configuration's caBundle).
    /// Settings: section <c>CertificateRotation</c> (see <see cref="CertificateRotationOptions"/>), <c>POD_NAMESPACE</c>,
    /// <c>Webhook:WebhookCertDir</c> and <c>Webhook:DisableCertRotation</c>. Uses the registered <see cref="KubernetesApiClient"/>
    /// or registers one the way the service-account cache does. Throws <see cref="InvalidOperationException"/> listing
    /// every invalid setting. The served certificate comes from the registered <c>Tls.ServingCertificate</c>.
    /// </summary>
    public static IServiceCollection AddCertificateRotation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = Read(configuration);
        if (!options.Enabled)
        {
            return services;
        }

        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("invalid certificate rotation settings: " + string.Join("; ", problems));
        }

        var writeFiles = options.WriteCertificateFiles ?? string.IsNullOrEmpty(configuration["KUBERNETES_SERVICE_HOST"]);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
            new KubernetesApiClient(KubernetesConnection.BuildConfiguration(configuration[$"{ServiceAccountCacheOptions.SectionName}:Kubeconfig"])));
        services.AddSingleton(options);
        services.AddSingleton<CertificateRotationState>();
        services.AddSingleton(sp => new CertificateRotator(
            sp.GetRequiredService<KubernetesApiClient>(),
            options,
            sp.GetRequiredService<CertificateRotationState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CertificateRotator>>())
        {
            WritesFiles = writeFiles,
        });
        services.AddSingleton<WebhookConfigurationWatch>();
        services.AddHostedService<CertificateRotationService>();
        services.AddHealthChecks().AddCheck<CaBundleHealthCheck>(CaBundleHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    /// <summary>Reads the options: the section first, then the webhook's own flags and <c>POD_NAMESPACE</c> as defaults.</summary>
    public static CertificateRotationOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new CertificateRotationOptions();
        if (configuration[$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.WebhookCertDir)}"] is { Length: > 0 } certDir)
        {
            options.CertDir = certDir;
        }

        if (configuration[CertificateRotationOptions.NamespaceVariable] is { Length: > 0 } @namespace)
        {
            options.Namespace = @namespace;
        }

        if (bool.TryParse(configuration[$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.DisableCertRotation)}"], out var disabled))
        {
            options.Enabled = !disabled;
        }

        configuration.GetSection(CertificateRotationOptions.SectionName).Bind(options);
        return options;
    }
}
