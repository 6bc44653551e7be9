namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>The webhook cannot start: every configuration problem found, one per line.</summary>
public sealed class WebhookConfigurationException : Exception
{
    public WebhookConfigurationException()
    {
    }

    public WebhookConfigurationException(string message)
        : base(message)
    {
    }

    public WebhookConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebhookConfigurationException(IReadOnlyList<string> problems)
        : base("the webhook cannot start:\n  - " + string.Join("\n  - ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
