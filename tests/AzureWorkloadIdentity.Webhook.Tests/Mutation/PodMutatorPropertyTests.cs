using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using FsCheck.Xunit;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

public sealed class PodMutatorPropertyTests
{
    private readonly PodMutator _mutator = new(TestMutationOptions.Default);
    private readonly PodMutator _nativeMutator = new(TestMutationOptions.Default with { NativeSidecar = true });

    /// <summary>
    /// Reinvocation: mutate, then another webhook changes the service account or adds a container, then mutate again
    /// ≡ one mutation of the changed pod (env entries compared by name: a variable the new account adds is appended).
    /// </summary>
    [Property(Arbitrary = [typeof(GeneratedCaseArbitrary)], MaxTest = 400)]
    public bool Mutate_ChangedBetweenInvocations_EqualsSingleMutationOfChangedPod(GeneratedCase generated, int changeSeed)
    {
        var native = (changeSeed & 1) == 1;
        var target = native ? _nativeMutator : _mutator;
        var first = target.MutateParsed(generated.Pod, generated.ServiceAccount);
        if (first.Outcome == MutationOutcome.Denied || !first.OptedIn)
        {
            return true;
        }

        var change = new ReinvocationChange(changeSeed);
        var account = change.Account(generated.ServiceAccount);
        var mutatedThenChanged = change.Apply((JsonObject)PodPatch.Apply(generated.Pod, first.Operations));
        var changed = change.Apply((JsonObject)generated.Pod.DeepClone());

        var again = target.MutateParsed(mutatedThenChanged, account);
        var single = target.MutateParsed(changed, account);
        if (single.Outcome == MutationOutcome.Denied)
        {
            return again.Outcome == MutationOutcome.Denied;
        }

        var twoSteps = PodPatch.Apply(mutatedThenChanged, again.Operations);
        var once = PodPatch.Apply(changed, single.Operations);
        return JsonNode.DeepEquals(ReinvocationChange.Normalise(twoSteps), ReinvocationChange.Normalise(once));
    }

    [Property(Arbitrary = [typeof(GeneratedCaseArbitrary)], MaxTest = 300)]
    public bool Mutate_AnyPod_IsIdempotent(GeneratedCase generated)
    {
        var result = _mutator.MutateParsed(generated.Pod, generated.ServiceAccount);
        if (result.Outcome != MutationOutcome.Mutated)
        {
            return result.Operations.Count == 0;
        }

        var patched = (JsonObject)PodPatch.Apply(generated.Pod, result.Operations);
        var again = _mutator.MutateParsed(patched, generated.ServiceAccount);
        return again.Outcome == MutationOutcome.Skipped && again.Operations.Count == 0;
    }

    [Property(Arbitrary = [typeof(GeneratedCaseArbitrary)], MaxTest = 300)]
    public bool Mutate_AnyPod_KeepsEveryExistingField(GeneratedCase generated)
    {
        var result = _mutator.MutateParsed(generated.Pod, generated.ServiceAccount);
        var patched = PodPatch.Apply(generated.Pod, result.Operations);
        return IsContainedIn(generated.Pod, patched);
    }

    [Property(Arbitrary = [typeof(GeneratedCaseArbitrary)], MaxTest = 300)]
    public bool Mutate_AnyPod_OnlyAddsNewMembersOrAppends(GeneratedCase generated)
    {
        var result = _mutator.MutateParsed(generated.Pod, generated.ServiceAccount);
        foreach (var operation in result.Operations)
        {
            var slash = operation.Path.LastIndexOf('/');
            var parent = Resolve(generated.Pod, operation.Path[..slash]);
            var last = operation.Path[(slash + 1)..];
            var valid = parent switch
            {
                JsonArray => last == "-" || (last == "0" && IsProxySidecar(operation)),
                JsonObject parentObject => !parentObject.ContainsKey(last),
                _ => false,
            };
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The one insert the mutator makes: the proxy sidecar first in a container list.</summary>
    private static bool IsProxySidecar(PatchOperation operation) =>
        operation.Path is "/spec/containers/0" or "/spec/initContainers/0"
        && JsonNode.Parse(operation.Value.Span) is JsonObject container && IsNamedSidecar(container);

    private static bool IsNamedSidecar(JsonNode? node) => node is JsonObject container && (string?)container["name"] == "azwi-proxy";

    /// <summary>
    /// Every member of <paramref name="original"/> is in <paramref name="patched"/>; arrays only grew at the end, or by
    /// the proxy sidecar at the front.
    /// </summary>
    private static bool IsContainedIn(JsonNode? original, JsonNode? patched) => (original, patched) switch
    {
        (JsonObject o, JsonObject p) => o.All(member => p.TryGetPropertyValue(member.Key, out var value) && IsContainedIn(member.Value, value)),
        (JsonArray o, JsonArray p) when p.Count > o.Count && IsNamedSidecar(p[0]) && (o.Count == 0 || !IsNamedSidecar(o[0])) =>
            o.Select((element, i) => IsContainedIn(element, p[i + 1])).All(x => x),
        (JsonArray o, JsonArray p) => o.Count <= p.Count && o.Select((element, i) => IsContainedIn(element, p[i])).All(x => x),
        _ => JsonNode.DeepEquals(original, patched),
    };

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in pointer.Split('/').Skip(1))
        {
            current = current switch
            {
                JsonObject o => o[token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)],
                JsonArray a => a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)],
                _ => null,
            };
        }

        return current;
    }
}
