namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>The webhook's three listeners; each endpoint answers on one only.</summary>
internal enum Listener
{
    Webhook,
    Health,
    Metrics,
}
