using FsCheck;
using FsCheck.Fluent;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>FsCheck arbitrary for <see cref="GeneratedCase"/>.</summary>
public static class GeneratedCaseArbitrary
{
    public static Arbitrary<GeneratedCase> Cases() =>
        Gen.ArrayOf(Gen.Choose(0, 1_000_000), 60).Select(choices => new GeneratedCase(choices)).ToArbitrary();
}
