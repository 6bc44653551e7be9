using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Maps the admission, health and metrics endpoints, each on its own listener.</summary>
public static class WebhookEndpoints
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    public static WebApplication MapWebhookEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.UseListenerFilter();

        // The handler's dependencies are singletons, bound here once: as handler parameters they were resolved from
        // the request's service scope, which created a scope on every admission (docs/performance.md).
        var reviewer = app.Services.GetRequiredService<AdmissionReviewer>();
        var metrics = app.Services.GetRequiredService<WebhookMetrics>();
        var logger = app.Services.GetRequiredService<ILogger<AdmissionReviewer>>();
        app.MapPost(MutateEndpoint.Path, (HttpRequest request, CancellationToken cancellationToken) =>
                MutateEndpoint.HandleAsync(request, reviewer, metrics, logger, cancellationToken))
            .WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(new ListenerMetadata(Listener.Health));
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithMetadata(new ListenerMetadata(Listener.Health));
        app.MapMetrics("/metrics", metrics.Registry)
            .WithMetadata(new ListenerMetadata(Listener.Metrics));
        return app;
    }
}
