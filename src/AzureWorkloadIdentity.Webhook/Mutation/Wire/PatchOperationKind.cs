namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>The RFC 6902 operations the webhook emits.</summary>
internal enum PatchOperationKind
{
    /// <summary>Adds a member or appends to / inserts into an array.</summary>
    Add,

    /// <summary>Replaces a value the webhook injected earlier (reinvocation after the service account changed).</summary>
    Replace,

    /// <summary>Removes an entry the webhook injected earlier that the current service account no longer gives.</summary>
    Remove,
}
