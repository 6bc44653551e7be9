namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>The webhook's three listeners; each endpoint answers on one only.</summary>
public enum Listener
{
    Webhook,
    Health,
    Metrics,
}
