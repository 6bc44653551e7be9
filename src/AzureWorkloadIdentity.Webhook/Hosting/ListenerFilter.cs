namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Answers 404 when an endpoint is requested on a listener it does not belong to (e.g. /mutate-v1-pod over plain HTTP).</summary>
internal static class ListenerFilter
{
    public static IApplicationBuilder UseListenerFilter(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoints = app.ApplicationServices.GetRequiredService<ListenerEndpoints>();
        return app.Use((context, next) =>
        {
            var wanted = context.GetEndpoint()?.Metadata.GetMetadata<ListenerMetadata>();
            if (wanted is not null && endpoints.Find(context.Connection.LocalPort) != wanted.Listener)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}

/// <summary>Endpoint metadata: the listener an endpoint is served on.</summary>
internal sealed record ListenerMetadata(Listener Listener);
