using AzureWorkloadIdentity.Sandbox.Quickstart;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The documentation's Quick Start against the sandbox, with the real webhook, the real token exchange and a real
/// sample process: the pod's container must print the secret.
/// </summary>
public sealed class QuickstartTests
{
    private const int Timeout = 180_000;

    [Theory(Timeout = Timeout)]
    [InlineData("msal-net")]
    [InlineData("azure-identity-dotnet")]
    [InlineData("msal-python")]
    [InlineData("azure-identity-python")]
    [InlineData("msal-node")]
    [InlineData("azure-identity-js")]
    public async Task Quickstart_Sample_ReadsSecretThroughTokenExchange(string sample)
    {
        using var output = new StringWriter();

        var exitCode = await new QuickstartRunner(new QuickstartOptions { Sample = sample }, output).RunAsync(CancellationToken.None);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("| successfully got secret, secret=Hello!", text, StringComparison.Ordinal);
        Assert.Contains("AZURE_FEDERATED_TOKEN_FILE:", text, StringComparison.Ordinal);
        Assert.Contains("/var/run/secrets/azure/tokens from azure-identity-token (ro) (Injected by the webhook)", text, StringComparison.Ordinal);
        Assert.Contains("Quick start succeeded", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Quickstart_ApplicationPath_UsesAzwiPhases_AndDeletesWithAzwi()
    {
        using var output = new StringWriter();

        var exitCode = await new QuickstartRunner(new QuickstartOptions(), output).RunAsync(CancellationToken.None);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("[aad-application] created an AAD application", text, StringComparison.Ordinal);
        Assert.Contains("[service-account] created Kubernetes service account", text, StringComparison.Ordinal);
        Assert.Contains("[federated-identity] added federated credential", text, StringComparison.Ordinal);
        Assert.Contains("[aad-application] deleted aad application", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Quickstart_UserAssignedIdentity_ReadsSecret()
    {
        using var output = new StringWriter();

        var exitCode = await new QuickstartRunner(new QuickstartOptions { UserAssignedIdentity = true }, output).RunAsync(CancellationToken.None);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("az identity create", text, StringComparison.Ordinal);
        Assert.Contains("| successfully got secret, secret=Hello!", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Quickstart_SkipCleanup_StillSucceeds_AndSaysNothingWasDeleted()
    {
        using var output = new StringWriter();

        var exitCode = await new QuickstartRunner(new QuickstartOptions { SkipCleanup = true }, output).RunAsync(CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Clean up", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("[9/9]", output.ToString(), StringComparison.Ordinal);
    }
}
