using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>Runs the mutator on a pod built or loaded as a node, read the way the webhook reads a request.</summary>
internal static class PodMutatorExtensions
{
    /// <summary>Serialises <paramref name="pod"/> and reads it in one forward pass, as the decoder reads <c>request.object</c>.</summary>
    public static MutationResult MutateParsed(this PodMutator mutator, JsonNode pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(mutator);
        ArgumentNullException.ThrowIfNull(pod);
        return mutator.Mutate(PodView.Parse(Encoding.UTF8.GetBytes(pod.ToJsonString())), serviceAccount);
    }
}
