using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Hosting;

try
{
    var app = WebhookApplication.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (WebhookConfigurationException exception)
{
    await Console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
    return 2;
}
