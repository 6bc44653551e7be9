using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("1h0m0s", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("24h", 86400)]
    [InlineData("3600s", 3600)]
    public void TryParse_GoNotation_Seconds(string text, int seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 hour")]
    [InlineData("1h junk")]
    [InlineData("3600")]
    public void TryParse_NotADuration_False(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact(Timeout = 60_000)]
    public async Task Create_UnparsableExpiration_OneLineNamingFlag()
    {
        var run = await CliRunner.RunAsync("sa", "create", "--service-account-token-expiration", "soon",
            "--subscription-id", "7b9f6c8e-1f7a-4c32-9d35-6f2a3a4b5c6d");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("Error: --service-account-token-expiration: \"soon\" is not a duration", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Create_SkipPhasesAlias_RejectedBeforeAnyConnection()
    {
        var run = await CliRunner.RunAsync("sa", "create", "--skip-phases", "app",
            "--subscription-id", "7b9f6c8e-1f7a-4c32-9d35-6f2a3a4b5c6d");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("Error: failed to compute skip phases: phase 'app' not found. Valid phases are: [aad-application service-account federated-identity role-assignment]",
            run.Error, StringComparison.Ordinal);
    }
}
