using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>Runs the mutator on a pod built or loaded as a node, read the way the webhook reads a request.</summary>
public static class PodMutatorExtensions
{
    /// <summary>
    /// Serialises <paramref name="pod"/>, parses it into a <see cref="JsonDocument"/> and mutates its root element;
    /// the result must not depend on the document, which is disposed before it is returned.
    /// </summary>
    public static MutationResult MutateParsed(this PodMutator mutator, JsonNode pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(mutator);
        ArgumentNullException.ThrowIfNull(pod);
        using var document = JsonDocument.Parse(pod.ToJsonString());
        return mutator.Mutate(document.RootElement, serviceAccount);
    }
}
