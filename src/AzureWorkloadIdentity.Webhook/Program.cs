using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Hosting;

return await StartupCommand.RunAsync(WebhookSettings.Table, args, async () =>
{
    await using var app = WebhookApplication.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}, Console.Out, Console.Error).ConfigureAwait(false);
