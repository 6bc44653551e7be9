using AzureWorkloadIdentity.Proxy.Token;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AzureWorkloadIdentity.Proxy.Tests.Token;

public sealed class TokenRequestTests
{
    private static TokenRequest? Parse(string query, bool metadata, string? defaultClient, out ImdsError? error)
    {
        var headers = new HeaderDictionary();
        if (metadata)
        {
            headers["Metadata"] = new StringValues("true");
        }

        return TokenRequest.Parse(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)), headers, defaultClient, out error);
    }

    [Fact]
    public void Parse_NoMetadataHeader_ImdsExactError()
    {
        Assert.Null(Parse("?resource=https://vault.azure.net", metadata: false, "c", out var error));
        Assert.Equal(new ImdsError("invalid_request", "Required metadata header not specified"), error);
    }

    [Fact]
    public void Parse_NoResource_Refused()
    {
        Assert.Null(Parse("?api-version=2018-02-01", metadata: true, "c", out var error));
        Assert.Contains("resource", error!.ErrorDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("object_id")]
    [InlineData("msi_res_id")]
    [InlineData("mi_res_id")]
    [InlineData("msi-res-id")]
    public void Parse_UnsupportedIdentitySelector_RefusedNamingIt(string selector)
    {
        Assert.Null(Parse($"?resource=r&{selector}=x", metadata: true, "c", out var error));
        Assert.Equal("invalid_request", error!.Error);
        Assert.Contains(selector, error.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClientIdInQuery_WinsOverDefault()
    {
        var request = Parse("?resource=r&client_id=from-query", metadata: true, "from-env", out _);
        Assert.Equal("from-query", request!.ClientId);
    }

    [Fact]
    public void Parse_NoClientId_UsesDefault()
    {
        Assert.Equal("from-env", Parse("?resource=r", metadata: true, "from-env", out _)!.ClientId);
    }

    [Fact]
    public void Parse_NoClientIdAnywhere_RefusedWith400Error()
    {
        Assert.Null(Parse("?resource=r", metadata: true, null, out var error));
        Assert.Contains("AZURE_CLIENT_ID", error!.ErrorDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://vault.azure.net", "https://vault.azure.net/.default")]
    [InlineData("https://management.azure.com/", "https://management.azure.com//.default")]
    [InlineData("api://app/.default", "api://app/.default")]
    public void ToScope_Resource_AppendsDefaultKeepingTrailingSlash(string resource, string scope) =>
        Assert.Equal(scope, TokenRequest.ToScope(resource));
}
