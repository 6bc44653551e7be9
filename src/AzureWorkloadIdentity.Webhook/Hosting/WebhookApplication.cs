using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Builds the webhook process; tests call it in-process with port 0 and their own service overrides.</summary>
internal static class WebhookApplication
{
    /// <summary>
    /// Builds the application. <paramref name="environment"/>, when given, supplies environment variables
    /// (<c>AZURE_TENANT_ID</c>, <c>CertificateRotation:SecretName</c>, …) over the process's; <paramref name="overrides"/>
    /// registers services first (e.g. an in-memory <see cref="IServiceAccountLookup"/>, which then replaces the
    /// Kubernetes-backed cache, or a <see cref="KubernetesApiClient"/>). Throws <see cref="StartupException"/>
    /// listing every configuration problem.
    /// </summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? environment = null, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (environment is not null)
        {
            builder.Configuration.AddInMemoryCollection(environment);
        }

        var settings = WebhookConfiguration.Load(builder.Configuration, args);
        ConfigureLogging(builder.Logging, settings.Webhook);
        overrides?.Invoke(builder.Services);
        var cache = !builder.Services.Any(service => service.ServiceType == typeof(IServiceAccountLookup));
        if ((cache || settings.CertificateRotation.Enabled) && !builder.Services.Any(service => service.ServiceType == typeof(KubernetesApiClient)))
        {
            // Found now, not when the host starts, so a missing kubeconfig is part of the start-up report.
            var connection = KubernetesConnection.BuildConfiguration(settings);
            builder.Services.AddSingleton(sp => new KubernetesApiClient(connection, sp.GetRequiredService<ILogger<KubernetesApiClient>>()));
        }

        if (cache)
        {
            // A shared read of an uncached service account must not outlive the admissions waiting for it.
            var budget = new AdmissionBudget(settings.Webhook.TimeoutSeconds).Total;
            var cacheOptions = settings.ServiceAccountCache;
            cacheOptions.LookupTimeout = cacheOptions.LookupTimeout < budget ? cacheOptions.LookupTimeout : budget;
            builder.Services.AddServiceAccountCache(cacheOptions);
        }

        builder.Services.AddWebhook(settings.Webhook);
        builder.Services.AddCertificateRotation(settings.CertificateRotation);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => WebhookKestrel.Configure(kestrel, settings.Webhook));
        var app = builder.Build();
        app.MapWebhookEndpoints();
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, WebhookOptions options)
    {
        logging.AddConsoleLogging(options.MinimumLevel!.Value, options.LogFormat);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Any enabled level here makes hosting start an Activity and a log scope for every request (about 5 % of
        // the CPU under load, docs/performance.md), although it only logs request start/finish at Information.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // An unready probe is expected while the cache syncs; /readyz already reports it, so do not log each probe as an error.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
    }
}
