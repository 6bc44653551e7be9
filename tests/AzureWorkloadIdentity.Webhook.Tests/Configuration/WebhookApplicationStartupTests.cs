using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Hosting;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Webhook.Tests.Configuration;

public sealed class WebhookApplicationStartupTests
{
    private static readonly Action<IServiceCollection> Lookup = services => services.AddSingleton<IServiceAccountLookup>(new InMemoryServiceAccountLookup());

    [Fact]
    public void Build_EverythingWrong_ReportsEveryProblemAtOnce()
    {
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "", ["AZURE_ENVIRONMENT"] = "MarsCloud" };
        string[] args =
        [
            "--tls-min-version", "1.1", "--health-addr", "nowhere", "--metrics-addr=:70000", "--log-format", "xml",
            "--log-level", "loud", "--bogus", "--proxy-image-registry", "reg/", "--port",
        ];

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build(args, environment, Lookup));

        Assert.Contains("AZURE_TENANT_ID is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("unknown Azure cloud \"MarsCloud\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--tls-min-version \"1.1\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--health-addr \"nowhere\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--metrics-addr \":70000\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--log-format \"xml\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--log-level \"loud\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("unknown flag \"--bogus\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--proxy-image-registry \"reg/\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("flag --port needs a value", exception.Message, StringComparison.Ordinal);
        Assert.Equal(10, exception.Problems.Count);
    }

    [Fact]
    public void Build_ValuesThatDoNotParse_EachReportedByTheNameGiven()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "t",
            ["ServiceAccountCache:LookupTimeout"] = "ten-years",
            ["CertificateRotation:WriteCertificateFiles"] = "maybe",
            ["ServiceAccountCache:ListPageSize"] = "many",
        };

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build(["--port", "abc"], environment, Lookup));

        Assert.Equal(
            [
                "--port \"abc\" is not a whole number",
                "CertificateRotation__WriteCertificateFiles \"maybe\" is not true or false",
                "ServiceAccountCache__LookupTimeout \"ten-years\" is not a time span such as 00:00:03 ([d.]hh:mm:ss[.fff])",
                "ServiceAccountCache__ListPageSize \"many\" is not a whole number",
            ],
            exception.Problems);
    }

    [Theory]
    [InlineData("ServiceAccountCache:LookupTimeout", "-00:00:01", "ServiceAccountCache__LookupTimeout is -00:00:01; it must be between")]
    [InlineData("CertificateRotation:ReconcileInterval", "-00:00:01", "CertificateRotation__ReconcileInterval is -00:00:01; it must be positive")]
    [InlineData("Webhook:CertificatePollInterval", "soon", "Webhook:CertificatePollInterval")]
    public void Build_NegativeOrUnconvertibleTimeSpan_OneProblemNamingTheSetting(string key, string value, string expected)
    {
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "t", [key] = value };

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build([], environment, Lookup));

        Assert.Contains(expected, Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureChinaCloud", "https://login.chinacloudapi.cn/")]
    [InlineData("azureusgovernment", "https://login.microsoftonline.us/")]
    [InlineData("AzureGermanCloud", "https://login.microsoftonline.de/")]
    [InlineData("AzureCloud", "https://login.microsoftonline.com/")]
    [InlineData(null, "https://login.microsoftonline.com/")]
    public async Task Build_AzureEnvironment_SelectsAuthorityHost(string? cloud, string authorityHost)
    {
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "t", ["AZURE_ENVIRONMENT"] = cloud };

        await using var app = WebhookApplication.Build(["--webhook-cert-dir", "/nonexistent", "--disable-cert-rotation", "--audience", "api://x"], environment, Lookup);

        var options = app.Services.GetRequiredService<AzureWorkloadIdentity.Webhook.Mutation.MutationOptions>();
        Assert.Equal(authorityHost, options.AuthorityHost);
        Assert.Equal("api://x", options.Audience);
        Assert.Equal("t", options.TenantId);
    }

    [Fact]
    public async Task Build_AzureStackCloudWithFile_InjectsTheFilesAuthorityHost()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"activeDirectoryEndpoint":"https://127.0.0.1:4443","resourceManagerEndpoint":"https://127.0.0.1:4444/"}""");
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "t",
            ["AZURE_ENVIRONMENT"] = "AzureStackCloud",
            ["AZURE_ENVIRONMENT_FILEPATH"] = file,
        };

        await using var app = WebhookApplication.Build(["--webhook-cert-dir", "/nonexistent", "--disable-cert-rotation"], environment, Lookup);

        Assert.Equal("https://127.0.0.1:4443/", app.Services.GetRequiredService<AzureWorkloadIdentity.Webhook.Mutation.MutationOptions>().AuthorityHost);
        File.Delete(file);
    }

    [Theory]
    [InlineData("AzureStackCloud", "https://127.0.0.1:4443", "https://127.0.0.1:4443/")]
    [InlineData("AzureChinaCloud", "https://login.example.test/", "https://login.example.test/")]
    [InlineData("AzureChinaCloud", "", "https://login.chinacloudapi.cn/")]
    public async Task Build_AzureAuthorityHost_InjectedInsteadOfTheCloudsAndStandsForTheFile(string cloud, string authority, string injected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "t",
            ["AZURE_ENVIRONMENT"] = cloud,
            ["AZURE_AUTHORITY_HOST"] = authority,
            ["AZURE_ENVIRONMENT_FILEPATH"] = "",
        };

        await using var app = WebhookApplication.Build(["--webhook-cert-dir", "/nonexistent", "--disable-cert-rotation"], environment, Lookup);

        Assert.Equal(injected, app.Services.GetRequiredService<AzureWorkloadIdentity.Webhook.Mutation.MutationOptions>().AuthorityHost);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4443/")]
    [InlineData("login.example.test")]
    public void Build_AzureAuthorityHostNotHttps_RefusedWithTheFix(string authority)
    {
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "t", ["AZURE_ENVIRONMENT"] = "AzureStackCloud", ["AZURE_AUTHORITY_HOST"] = authority };

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build([], environment, Lookup));

        Assert.Contains($"AZURE_AUTHORITY_HOST \"{authority}\" is not an https URL", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "AZURE_ENVIRONMENT_FILEPATH is required")]
    [InlineData("/nonexistent/cloud.json", "/nonexistent/cloud.json")]
    public void Build_AzureStackCloudWithoutUsableFile_Refused(string? path, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "t",
            ["AZURE_ENVIRONMENT"] = "AzureStackCloud",
            ["AZURE_ENVIRONMENT_FILEPATH"] = path,
        };

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build([], environment, Lookup));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownSidecarModeAndBadImage_ReportedWithTheFix()
    {
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "t", ["PROXY_IMAGE"] = "mirror.example/proxy v1" };

        var exception = Assert.Throws<StartupException>(() => WebhookApplication.Build(["--proxy-sidecar-mode=sidecar"], environment, Lookup));

        Assert.Contains("--proxy-sidecar-mode \"sidecar\" is not supported; use auto (default), native or container", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PROXY_IMAGE \"mirror.example/proxy v1\" is not an image reference", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, exception.Problems.Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("native", true)]
    [InlineData("container", false)]
    public async Task Build_ImagesFromEnvironmentAndMode_ReachTheMutator(string mode, bool native)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "t",
            ["PROXY_IMAGE"] = "mirror.example/azwi/proxy:v7",
            ["PROXY_INIT_IMAGE"] = "",
        };
        await using var app = WebhookApplication.Build(
            [
                "--proxy-sidecar-mode", mode, "--disable-cert-rotation", "--log-level=debug", "--port", "0",
                "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--webhook-cert-dir", "/nonexistent",
            ],
            environment,
            Lookup);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StartAsync(timeout.Token);
        try
        {
            var options = app.Services.GetRequiredService<PodMutator>().Options;

            Assert.Equal(native, options.NativeSidecar);
            Assert.Equal("mirror.example/azwi/proxy:v7", options.SidecarImage);
            Assert.Equal($"{options.ProxyImageRegistry}/proxy-init:{MutationOptions.DefaultProxyImageVersion}", options.InitImage);
            Assert.Equal("debug", options.LogLevel);
        }
        finally
        {
            await app.StopAsync(timeout.Token);
        }
    }
}
