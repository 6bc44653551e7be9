using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
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

        services.AddSingleton(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(mutation);
        services.AddSingleton(new PodMutator(mutation));
        var budget = new AdmissionBudget(options.TimeoutSeconds);
        services.AddSingleton(budget);
        services.AddSingleton<AdmissionReviewer>();

        // A shared read of an uncached service account must not outlive the admissions waiting for it.
        services.PostConfigure<ServiceAccountCacheOptions>(cache =>
            cache.LookupTimeout = cache.LookupTimeout < budget.Total ? cache.LookupTimeout : budget.Total);
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<ListenerEndpoints>();
        services.AddSingleton(sp => new ServingCertificate(
            options.WebhookCertDir,
            WebhookOptionsValidator.TlsProtocols(options.TlsMinVersion)!.Value,
            options.CertificatePollInterval,
            sp.GetRequiredService<ILogger<ServingCertificate>>()));
        services.AddHealthChecks()
            .AddCheck<ServingCertificateHealthCheck>("serving-certificate", tags: [WebhookEndpoints.ReadyTag])
            .AddCheck<ServiceAccountSyncHealthCheck>("service-account-cache", tags: [WebhookEndpoints.ReadyTag]);
        return services;
    }
}
