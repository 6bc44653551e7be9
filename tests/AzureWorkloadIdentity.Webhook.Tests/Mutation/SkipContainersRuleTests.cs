using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

public sealed class SkipContainersRuleTests
{
    [Theory]
    [InlineData("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":" a ; b;;a ;  "}}}""", new[] { "a", "b" })]
    [InlineData("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":"a/b~c"}}}""", new[] { "a/b~c" })]
    [InlineData("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":" ; "}}}""", new string[0])]
    [InlineData("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":5}}}""", new string[0])]
    [InlineData("""{"metadata":{"annotations":{}}}""", new string[0])]
    [InlineData("""{"metadata":{}}""", new string[0])]
    public void Parse_Annotation_TrimmedNonEmptyNames(string json, string[] expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected.Order(StringComparer.Ordinal), SkipContainersRule.Parse(document.RootElement).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_NoNames_ReturnsOneSharedEmptySet()
    {
        using var absent = JsonDocument.Parse("""{"metadata":{}}""");
        using var blank = JsonDocument.Parse("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":""}}}""");

        var first = SkipContainersRule.Parse(absent.RootElement);

        Assert.Empty(first);
        Assert.Same(first, SkipContainersRule.Parse(blank.RootElement));
    }
}
