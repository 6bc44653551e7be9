using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using Microsoft.Extensions.Logging.Console;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Builds the webhook process; tests call it in-process with port 0 and their own service overrides.</summary>
public static class WebhookApplication
{
    /// <summary>
    /// Builds the application. <paramref name="environment"/>, when given, supplies the environment variables
    /// (<c>AZURE_TENANT_ID</c>, <c>AZURE_ENVIRONMENT</c>) instead of the process's; <paramref name="overrides"/>
    /// registers services first (e.g. an in-memory <see cref="IServiceAccountLookup"/>, which then replaces the
    /// Kubernetes-backed cache). Throws <see cref="WebhookConfigurationException"/> listing every problem.
    /// </summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? environment = null, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        var (values, errors) = WebhookCommandLine.Parse(args);
        if (environment is not null)
        {
            builder.Configuration.AddInMemoryCollection(environment);
        }

        builder.Configuration.AddInMemoryCollection(values);
        var options = WebhookOptionsReader.Read(builder.Configuration, errors);
        var problems = WebhookOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            throw new WebhookConfigurationException(problems);
        }

        ConfigureLogging(builder.Logging, options);
        overrides?.Invoke(builder.Services);
        if (!builder.Services.Any(service => service.ServiceType == typeof(IServiceAccountLookup)))
        {
            builder.Services.AddServiceAccountCache(builder.Configuration);
        }

        builder.Services.AddWebhook(options);
        if (!builder.Services.Any(service => service.ServiceType == typeof(CertificateRotator)))
        {
            // Off with --disable-cert-rotation (certificates from the mounted directory only, e.g. cert-manager).
            builder.Services.AddCertificateRotation(builder.Configuration);
        }

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => WebhookKestrel.Configure(kestrel, options));
        var app = builder.Build();
        app.MapWebhookEndpoints();
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, WebhookOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(WebhookOptionsValidator.LogLevel(options.LogLevel)!.Value);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Any enabled level here makes hosting start an Activity and a log scope for every request (about 5 % of
        // the CPU under load, docs/performance.md), although it only logs request start/finish at Information.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // An unready probe is expected while the cache syncs; /readyz already reports it, so do not log each probe as an error.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        if (options.LogFormat == "json")
        {
            logging.AddJsonConsole(json => { json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; json.UseUtcTimestamp = true; });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }
}
