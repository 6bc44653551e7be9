using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>Runs every file in Mutation/Fixtures: adding a case means adding a file.</summary>
public sealed class PodMutatorFixtureTests
{
    public static TheoryData<string> Fixtures() => new(MutationFixture.Names());

    [Fact]
    public void Fixtures_Directory_HoldsCases() => Assert.True(MutationFixture.Names().Count() >= 30);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Mutate_Fixture_MatchesExpectation(string name)
    {
        var fixture = MutationFixture.Load(name);
        var mutator = new PodMutator(fixture.Options());
        var pod = fixture.Pod;

        var result = mutator.MutateParsed(pod, fixture.ServiceAccount());

        var expect = fixture.Expect;
        Assert.Equal((string)expect["outcome"]!, result.Outcome.ToString());
        var expectedWarnings = (expect["warnings"] as JsonArray)?.Select(w => (string)w!).ToArray() ?? [];
        Assert.Equal(expectedWarnings, result.Warnings);
        Assert.True(JsonNode.DeepEquals(fixture.Pod, pod), "the mutator must not modify its input");

        switch (result.Outcome)
        {
            case MutationOutcome.Mutated:
                Assert.All(result.Operations, op => Assert.True(
                    op.Path.StartsWith("/spec/", StringComparison.Ordinal) || op.Path.StartsWith("/metadata/annotations", StringComparison.Ordinal), op.Path));
                var patched = PodPatch.Apply(pod, result.Operations);
                Assert.True(JsonNode.DeepEquals(expect["pod"], patched), $"expected\n{expect["pod"]}\nactual\n{patched}");
                var again = mutator.MutateParsed((JsonObject)patched, fixture.ServiceAccount());
                Assert.Empty(again.Operations);
                break;
            case MutationOutcome.Denied:
                Assert.Empty(result.Operations);
                foreach (var part in ((JsonArray)expect["messageContains"]!).Select(p => (string)p!))
                {
                    Assert.Contains(part, result.DenialMessage, StringComparison.Ordinal);
                }

                break;
            default:
                Assert.Empty(result.Operations);
                Assert.Equal((string)expect["reason"]!, result.Reason);
                break;
        }
    }
}
