using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Registers the webhook's services for validated <see cref="WebhookOptions"/>.</summary>
public static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhook(this IServiceCollection services, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mutation = new MutationOptions(
            options.TenantId!,
            options.Cloud.AuthorityHost.AbsoluteUri,
            string.IsNullOrWhiteSpace(options.Audience) ? WorkloadIdentityDefaults.Audience : options.Audience,
            options.ProxyImageRegistry,
            options.ProxyImageVersion);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(mutation);
        services.AddSingleton(new PodMutator(mutation));
        services.AddSingleton<AdmissionReviewer>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<ListenerEndpoints>();
        services.AddSingleton(sp => new ServingCertificate(
            options.WebhookCertDir,
            options.TlsProtocols!.Value,
            options.CertificatePollInterval,
            sp.GetRequiredService<ILogger<ServingCertificate>>()));
        services.AddHealthChecks()
            .AddCheck<ServingCertificateHealthCheck>("serving-certificate", tags: [WebhookEndpoints.ReadyTag])
            .AddCheck<ServiceAccountSyncHealthCheck>("service-account-cache", tags: [WebhookEndpoints.ReadyTag]);
        return services;
    }
}
