namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>A label or annotation key that looks like one of ours but is not, and the key it was probably meant to be.</summary>
internal readonly record struct NearMissKey(string Key, string Intended);
