using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

public sealed class ApplicationNameResolverTests
{
    private const string Issuer = "https://issuer.example/";

    [Fact(Timeout = 10_000)]
    public async Task ResolveAsync_NameDerivedSeveralTimes_WarnsOnceAndReturnsTheSameName()
    {
        using var log = new StringWriter();
        using var run = Run(new ServiceAccountInputs { ServiceAccountName = "azwi-sa", IssuerUrl = Issuer }, log);

        var first = await run.ApplicationName.ResolveAsync(CancellationToken.None);
        var second = await run.ApplicationName.ResolveAsync(CancellationToken.None);
        await run.Principal.RequireAsync(CancellationToken.None);

        Assert.Equal(WorkloadIdentityNames.ApplicationName("default", "azwi-sa", Issuer), first);
        Assert.Equal(first, second);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("WARN", line, StringComparison.Ordinal);
        Assert.Contains("--aad-application-name not specified", line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task ResolveAsync_NameGiven_ReturnsItWithoutWarning()
    {
        using var log = new StringWriter();
        using var run = Run(new ServiceAccountInputs { ApplicationName = "my-app" }, log);

        Assert.Equal("my-app", await run.ApplicationName.ResolveAsync(CancellationToken.None));
        Assert.Equal(string.Empty, log.ToString());
    }

    [Fact(Timeout = 10_000)]
    public async Task ResolveAsync_NeitherNameNorServiceAccount_UsageErrorEveryTime()
    {
        using var log = new StringWriter();
        using var run = Run(new ServiceAccountInputs { IssuerUrl = Issuer }, log);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAsync<CliUsageException>(() => run.ApplicationName.ResolveAsync(CancellationToken.None));
            Assert.Equal("--aad-application-name is required (or pass --service-account-name to derive it)", error.Message);
        }

        Assert.Equal(string.Empty, log.ToString());
    }

    private static ServiceAccountRun Run(ServiceAccountInputs inputs, StringWriter log) =>
        new(new CliServices(new CliConsole(TextWriter.Null, TextWriter.Null), TimeProvider.System),
            new CliLog(log, debug: false, TimeProvider.System), inputs,
            _ => throw new InvalidOperationException("no connection in this test"));
}
