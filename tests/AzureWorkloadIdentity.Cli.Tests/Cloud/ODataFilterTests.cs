using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Tests.Cloud;

public sealed class ODataFilterTests
{
    [Theory]
    [InlineData("displayName", "my-app", "displayName eq 'my-app'")]
    [InlineData("displayName", "O'Brien", "displayName eq 'O''Brien'")]
    [InlineData("displayName", "x' or displayName ne 'y", "displayName eq 'x'' or displayName ne ''y'")]
    [InlineData("subject", "system:serviceaccount:ns:sa", "subject eq 'system:serviceaccount:ns:sa'")]
    [InlineData("roleName", "", "roleName eq ''")]
    public void Equal_Value_QuotedAsOneLiteral(string property, string value, string expected) =>
        Assert.Equal(expected, ODataFilter.Equal(property, value));

    [Fact]
    public void Literal_QuoteInjection_StaysInsideOneLiteral()
    {
        var literal = ODataFilter.Literal("a' or 1 eq 1 or 'b");

        // Every quote inside the literal is doubled, so the literal's quotes are only the outer two.
        var inner = literal[1..^1];
        Assert.Equal("a'' or 1 eq 1 or ''b", inner);
        Assert.DoesNotMatch("(?<!')'(?!')", inner);
    }
}
