using System.Text;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

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
        var pod = PodView.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected.Order(StringComparer.Ordinal), SkipContainersRule.Parse(pod).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_NoNames_ReturnsOneSharedEmptySet()
    {
        var absent = PodView.Parse("""{"metadata":{}}"""u8);
        var blank = PodView.Parse("""{"metadata":{"annotations":{"azure.workload.identity/skip-containers":""}}}"""u8);

        var first = SkipContainersRule.Parse(absent);

        Assert.Empty(first);
        Assert.Same(first, SkipContainersRule.Parse(blank));
    }
}
