namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>One webhook per test class (xunit class fixture).</summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    public WebhookHost Host { get; private set; } = null!;

    // At info, as the fixtures assume: the webhook passes its log level on to the proxy sidecar.
    public async Task InitializeAsync() => Host = await WebhookHost.StartAsync(["--log-level", "info"]);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
