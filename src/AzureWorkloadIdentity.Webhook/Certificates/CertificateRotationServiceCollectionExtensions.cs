using AzureWorkloadIdentity.Webhook.KubernetesApi;
using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AzureWorkloadIdentity.Webhook.Certificates;

internal static class CertificateRotationServiceCollectionExtensions
{
    /// <summary>Health-check tag that <c>/readyz</c> evaluates (the same value as the hosting's ready tag).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Registers the built-in certificate rotation unless <see cref="CertificateRotationOptions.Enabled"/> is off
    /// (<c>--disable-cert-rotation</c>): the hosted service, the <see cref="CertificateRotator"/>, and the readiness
    /// check <see cref="CaBundleHealthCheck.Name"/> (tagged <c>ready</c>: healthy only while the served certificate
    /// chains to the webhook configuration's caBundle). <paramref name="options"/> are validated already
    /// (Configuration/WebhookConfiguration). Uses the registered <see cref="KubernetesApiClient"/>; the served
    /// certificate comes from the registered <c>Tls.ServingCertificate</c>.
    /// </summary>
    public static IServiceCollection AddCertificateRotation(this IServiceCollection services, CertificateRotationOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<CertificateRotationState>();
        services.AddSingleton(sp => new CertificateRotator(
            sp.GetRequiredService<KubernetesApiClient>(),
            options,
            sp.GetRequiredService<CertificateRotationState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CertificateRotator>>())
        {
            WritesFiles = options.WriteCertificateFiles ?? false,
            Served = () => sp.GetRequiredService<ServingCertificate>().Certificate,
        });
        services.AddSingleton<IServingCertificateGuard, CaBundleGuard>();
        services.AddSingleton<NamedObjectWatch>();
        services.AddSingleton<CertificateRotationWatch>();
        services.AddHostedService<CertificateRotationService>();
        services.AddHealthChecks().AddCheck<CaBundleHealthCheck>(CaBundleHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }
}
