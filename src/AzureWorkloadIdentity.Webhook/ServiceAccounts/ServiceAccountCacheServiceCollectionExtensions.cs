using AzureWorkloadIdentity.Webhook.KubernetesApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

public static class ServiceAccountCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IServiceAccountLookup"/> (the list+watch cache) with validated
    /// <paramref name="options"/> and the hosted service that keeps it current. It uses the registered
    /// <see cref="KubernetesApiClient"/>.
    /// </summary>
    public static IServiceCollection AddServiceAccountCache(this IServiceCollection services, ServiceAccountCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceAccountCache>();
        services.TryAddSingleton<IServiceAccountLookup>(sp => sp.GetRequiredService<ServiceAccountCache>());
        services.AddHostedService<ServiceAccountWatcher>();
        return services;
    }
}
