namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Identifies a service account in the cache. Ordinal: Kubernetes names are case-sensitive.</summary>
internal readonly record struct ServiceAccountKey(string Namespace, string Name)
{
    public override string ToString() => Namespace + "/" + Name;
}
