using AzureWorkloadIdentity.Cli.Commands.Doctor;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

public sealed class AadstsCodesTests
{
    [Theory]
    [InlineData("ClientAssertionCredential authentication failed: AADSTS70021: No matching federated identity record found", 70021)]
    [InlineData("AADSTS90061: Request to External OIDC endpoint failed.", 90061)]
    public void Find_MessageWithCode_ReturnsCode(string message, int code) => Assert.Equal(code, AadstsCodes.Find(message));

    [Fact]
    public void Find_MessageWithoutCode_ReturnsNull() => Assert.Null(AadstsCodes.Find("connection refused"));

    [Fact]
    public void Meaning_KnownAndUnknownCodes_ExplainOrLinkTheErrorPage()
    {
        Assert.Contains("not reachable from the internet", AadstsCodes.Meaning(90061), StringComparison.Ordinal);
        Assert.Equal("see https://login.microsoftonline.com/error?code=12345", AadstsCodes.Meaning(12345));
    }
}
