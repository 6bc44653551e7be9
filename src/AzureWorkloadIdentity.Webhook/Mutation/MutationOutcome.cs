namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>What the webhook decided for a pod (the <c>outcome</c> label of the admission counter).</summary>
internal enum MutationOutcome
{
    /// <summary>Allowed with a patch.</summary>
    Mutated,

    /// <summary>Allowed without a patch (not opted in, not a CREATE, or nothing left to add).</summary>
    Skipped,

    /// <summary>Refused with a message.</summary>
    Denied,
}
