using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

public sealed class WorkloadIdentityNamesTests
{
    [Fact]
    public void ApplicationName_DocumentedExample_MatchesUpstreamValue() =>
        Assert.Equal(
            "service-account-namespace-service-account-name-t4BxHnnPeJsOfTLIBFbdKeRHdVMaIRdxwkxwF13SvKw=",
            WorkloadIdentityNames.ApplicationName("service-account-namespace", "service-account-name", "service-account-issuer-url"));

    [Fact]
    public void ApplicationName_TrailingSlash_ChangesTheHash() =>
        Assert.NotEqual(
            WorkloadIdentityNames.ApplicationName("default", "sa", "https://issuer.example/"),
            WorkloadIdentityNames.ApplicationName("default", "sa", "https://issuer.example"));

    [Fact]
    public void ApplicationName_AnyIssuer_PaddedUrlSafeHashOf44Characters()
    {
        var name = WorkloadIdentityNames.ApplicationName("ns", "name", "https://azwi.blob.core.windows.net/oidc-test/");

        Assert.Equal("ns-name-pXkIYj74X6LQKuHCwAFr7MMSWewDboaRo9ypqyHNcgU=", name);
    }

    [Fact]
    public void FederatedCredentialName_HashOfNamespaceNameAndIssuer_Padded()
    {
        // python3: base64.urlsafe_b64encode(hashlib.sha256(b"default-azwi-sa-https://issuer.example/").digest())
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("default-azwi-sa-https://issuer.example/"u8))
            .Replace('+', '-').Replace('/', '_');

        Assert.Equal(expected, WorkloadIdentityNames.FederatedCredentialName("default", "azwi-sa", "https://issuer.example/"));
        Assert.EndsWith("=", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectAndDescription_ServiceAccount_DocumentedFormats()
    {
        Assert.Equal("system:serviceaccount:default:azwi-sa", WorkloadIdentityNames.Subject("default", "azwi-sa"));
        Assert.Equal("Federated Service Account for default/azwi-sa", WorkloadIdentityNames.Description("default", "azwi-sa"));
    }

    [Theory]
    [InlineData("default", "azwi-sa", "https://issuer.example/")]
    [InlineData("ns", "x", "https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/")]
    public void ManagedIdentityCredentialName_AnyInput_MatchesResourceManagerRule(string ns, string name, string issuer)
    {
        var credentialName = WorkloadIdentityNames.ManagedIdentityCredentialName(ns, name, issuer);

        Assert.Matches("^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$", credentialName);
        Assert.Equal("azwi-" + WorkloadIdentityNames.FederatedCredentialName(ns, name, issuer).TrimEnd('='), credentialName);
    }
}
