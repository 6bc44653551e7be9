namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>One webhook per test class (xunit class fixture).</summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    public WebhookHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
