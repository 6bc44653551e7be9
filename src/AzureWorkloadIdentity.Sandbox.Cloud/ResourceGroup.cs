namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>An ARM resource group.</summary>
public sealed record ResourceGroup(string SubscriptionId, string Name, string Location)
{
    public string Id => $"/subscriptions/{SubscriptionId}/resourceGroups/{Name}";
}
