namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>The Kubernetes API failed or timed out while a service account was looked up.</summary>
internal sealed class ServiceAccountLookupException : Exception
{
    public ServiceAccountLookupException()
    {
    }

    public ServiceAccountLookupException(string message)
        : base(message)
    {
    }

    public ServiceAccountLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
