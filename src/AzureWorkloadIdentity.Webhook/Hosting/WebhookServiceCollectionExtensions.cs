using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Tls;
using AzureWorkloadIdentity.Webhook.Workloads;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Registers the webhook's services for validated <see cref="WebhookOptions"/>.</summary>
internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhook(this IServiceCollection services, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mutation = new MutationOptions(
            options.TenantId!,
            options.InjectedAuthorityHost,
            string.IsNullOrWhiteSpace(options.Audience) ? WorkloadIdentityDefaults.Audience : options.Audience,
            options.ProxyImageRegistry,
            options.ProxyImageVersion,
            options.ProxyImage,
            options.ProxyInitImage,
            LogLevel: options.LogLevel);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(mutation);
        services.AddSingleton<ProxySidecarPlacement>();
        services.AddHostedService(sp => new ProxySidecarPlacementService(
            options.ProxySidecarMode, sp.GetRequiredService<ProxySidecarPlacement>(), sp, sp.GetRequiredService<ILogger<ProxySidecarPlacementService>>()));

        // Built at the first admission, after the placement was decided at start-up: nothing per admission.
        services.AddSingleton(sp => new PodMutator(mutation with { NativeSidecar = sp.GetRequiredService<ProxySidecarPlacement>().Native }));
        var budget = new AdmissionBudget(options.TimeoutSeconds);
        services.AddSingleton(budget);
        services.AddSingleton<AdmissionReviewer>();
        services.AddSingleton<WorkloadReviewer>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<ListenerEndpoints>();
        services.AddSingleton(sp => new ServingCertificate(
            options.WebhookCertDir,
            options.TlsProtocols!.Value,
            options.CertificatePollInterval,
            sp.GetRequiredService<ILogger<ServingCertificate>>(),
            sp.GetService<IServingCertificateGuard>()));
        services.AddHealthChecks()
            .AddCheck<ServingCertificateHealthCheck>("serving-certificate", tags: [WebhookEndpoints.ReadyTag])
            .AddCheck<ServiceAccountSyncHealthCheck>("service-account-cache", tags: [WebhookEndpoints.ReadyTag])
            .AddCheck<ProxySidecarPlacementHealthCheck>("proxy-sidecar-placement", tags: [WebhookEndpoints.ReadyTag]);
        return services;
    }
}
