using AzureWorkloadIdentity.Webhook.KubernetesApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

public static class ServiceAccountCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IServiceAccountLookup"/> (the list+watch cache), the hosted service that keeps it
    /// current, and a <see cref="KubernetesApiClient"/> unless one is registered already: in-cluster configuration
    /// when <c>KUBERNETES_SERVICE_HOST</c> is set, else <c>ServiceAccountCache:Kubeconfig</c>, <c>KUBECONFIG</c>
    /// or <c>~/.kube/config</c>. Options come from the <c>ServiceAccountCache</c> section.
    /// </summary>
    public static IServiceCollection AddServiceAccountCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ServiceAccountCacheOptions>()
            .Bind(configuration.GetSection(ServiceAccountCacheOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceAccountCacheOptions>, ServiceAccountCacheOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
            new KubernetesApiClient(KubernetesConnection.BuildConfiguration(
                sp.GetRequiredService<IOptions<ServiceAccountCacheOptions>>().Value.Kubeconfig)));
        services.TryAddSingleton<ServiceAccountCache>();
        services.TryAddSingleton<IServiceAccountLookup>(sp => sp.GetRequiredService<ServiceAccountCache>());
        services.AddHostedService<ServiceAccountWatcher>();
        return services;
    }
}
