using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Maps the admission, health and metrics endpoints, each on its own listener.</summary>
internal static class WebhookEndpoints
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    public static WebApplication MapWebhookEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.UseListenerFilter();
        app.MapPost(MutateEndpoint.Path, MutateEndpoint.Create(app.Services)).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapPost(WorkloadsEndpoint.Path, WorkloadsEndpoint.Create(app.Services)).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(new ListenerMetadata(Listener.Health));
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithMetadata(new ListenerMetadata(Listener.Health));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<WebhookMetrics>().Registry)
            .WithMetadata(new ListenerMetadata(Listener.Metrics));
        return app;
    }
}
