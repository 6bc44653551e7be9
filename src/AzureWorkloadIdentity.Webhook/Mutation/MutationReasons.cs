namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The reasons of an admitted pod (metric label values); refusals are in <see cref="DenialReasons"/>.</summary>
internal static class MutationReasons
{
    public const string Mutated = "mutated";
    public const string NotOptedIn = "not-opted-in";
    public const string AlreadyMutated = "already-mutated";
}
