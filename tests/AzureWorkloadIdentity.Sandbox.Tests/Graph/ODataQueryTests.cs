using AzureWorkloadIdentity.Sandbox.Graph;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class ODataQueryTests
{
    private static ODataQuery? Parse(string filter, out string? error) =>
        ODataQuery.Parse(new QueryCollection(new Dictionary<string, StringValues> { ["$filter"] = filter }), out error);

    [Theory]
    [InlineData("displayName eq 'app'", "displayName", "app")]
    [InlineData("subject eq 'system:serviceaccount:ns:sa'", "subject", "system:serviceaccount:ns:sa")]
    [InlineData("displayName eq 'o''brien'", "displayName", "o'brien")]
    [InlineData("displayName eq ''", "displayName", "")]
    [InlineData("  appId   eq   'x'  ", "appId", "x")]
    public void Parse_EqualsFilter_UnquotesValue(string filter, string property, string value)
    {
        var query = Parse(filter, out var error);

        Assert.Null(error);
        Assert.Equal(property, query!.FilterProperty);
        Assert.Equal(value, query.FilterValue);
    }

    [Theory]
    [InlineData("displayName eq 'a' or displayName eq 'b'")]
    [InlineData("displayName eq 'o'brien'")]
    [InlineData("startswith(displayName,'a')")]
    [InlineData("displayName eq app")]
    public void Parse_UnsupportedOrBrokenFilter_ReturnsError(string filter)
    {
        var query = Parse(filter, out var error);

        Assert.Null(query);
        Assert.Contains(filter, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void Parse_TopOutOfRange_ReturnsError(string top)
    {
        var query = ODataQuery.Parse(new QueryCollection(new Dictionary<string, StringValues> { ["$top"] = top }), out var error);

        Assert.Null(query);
        Assert.NotNull(error);
    }
}
