using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Tests.Cloud;

public sealed class AuthenticationSettingsTests
{
    private const string ClientId = "2a0f4c5e-7a51-4d2b-9b71-0d3c9f6d8e11";

    [Theory]
    [InlineData("", null, null, null, null, "--auth-method is a required parameter")]
    [InlineData("client_secret", "not-a-uuid", "s", null, null, "parsing --client-id: \"not-a-uuid\" is not a valid UUID")]
    [InlineData("client_secret", ClientId, null, null, null, "--client-secret must be specified when --auth-method=\"client_secret\"")]
    [InlineData("client_certificate", ClientId, null, "c.pem", null, "--certificate-path and --private-key-path must be specified when --auth-method=\"client_certificate\"")]
    [InlineData("kerberos", null, null, null, null, "--auth-method: ERROR: method unsupported. method=\"kerberos\"")]
    public void Validate_UserMistake_MessageNamesTheFlag(string method, string? id, string? secret, string? cert, string? key, string expected)
    {
        var error = Assert.Throws<CliUsageException>(() => new AuthenticationSettings(method, id, secret, cert, key).Validate());

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cli", null, null, "cli")]
    [InlineData("cli", ClientId, "secret", "client_secret")]
    [InlineData("client_secret", ClientId, "secret", "client_secret")]
    [InlineData("default", null, null, "default")]
    public void Validate_ValidFlags_EffectiveMethod(string method, string? id, string? secret, string expected) =>
        Assert.Equal(expected, new AuthenticationSettings(method, id, secret, null, null).Validate());
}
