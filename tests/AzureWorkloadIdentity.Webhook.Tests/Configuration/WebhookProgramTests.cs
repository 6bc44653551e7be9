using AzureWorkloadIdentity.TestUtilities;
using AzureWorkloadIdentity.Webhook.Configuration;

namespace AzureWorkloadIdentity.Webhook.Tests.Configuration;

/// <summary>The built <c>webhook</c> program, run as a user runs it: exit codes and what it prints.</summary>
public sealed class WebhookProgramTests
{
    // The program this project references is built into the test's own output folder (with its runtimeconfig and deps).
    private static readonly string WebhookAssembly = Path.Combine(AppContext.BaseDirectory, "webhook.dll");

    private static readonly Dictionary<string, string> Tenant = new() { ["AZURE_TENANT_ID"] = "t" };

    /// <summary>One bad value per section of settings (flags, the environment, ServiceAccountCache, CertificateRotation, the connection).</summary>
    public static TheoryData<string[], Dictionary<string, string>, string> BadSettings => new()
    {
        { ["--port", "abc"], Tenant, "--port \"abc\" is not a whole number" },
        { ["--tls-min-version=1.1"], Tenant, "--tls-min-version \"1.1\" is not supported" },
        { ["--bogus"], Tenant, "unknown flag \"--bogus\"" },
        { [], new(), "AZURE_TENANT_ID is required" },
        { [], new(Tenant) { ["AZURE_ENVIRONMENT"] = "MarsCloud" }, "AZURE_ENVIRONMENT: unknown Azure cloud \"MarsCloud\"" },
        { [], new(Tenant) { ["AZURE_ENVIRONMENT"] = "AzureStackCloud" }, "AZURE_ENVIRONMENT_FILEPATH is required with AZURE_ENVIRONMENT=AzureStackCloud" },
        { [], new(Tenant) { ["ServiceAccountCache__LookupTimeout"] = "-00:00:01" }, "ServiceAccountCache__LookupTimeout is -00:00:01; it must be between" },
        { [], new(Tenant) { ["ServiceAccountCache__WatchTimeout"] = "ten-years" }, "ServiceAccountCache__WatchTimeout \"ten-years\" is not a time span" },
        { [], new(Tenant) { ["CertificateRotation__ReconcileInterval"] = "-00:00:01" }, "CertificateRotation__ReconcileInterval is -00:00:01; it must be positive" },
        { [], new(Tenant) { ["CertificateRotation__WriteCertificateFiles"] = "maybe" }, "CertificateRotation__WriteCertificateFiles \"maybe\" is not true or false" },
        { [], new(Tenant) { ["POD_NAMESPACE"] = " " }, "POD_NAMESPACE (or CertificateRotation__Namespace) must not be empty" },
        { ["--kubeconfig", "/nonexistent/kubeconfig"], Tenant, "no Kubernetes connection: KUBERNETES_SERVICE_HOST is not set (not running in a pod) and the kubeconfig \"/nonexistent/kubeconfig\" does not exist" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(BadSettings))]
    public async Task Main_BadSetting_ExitTwoWithOneLineNamingIt(string[] args, Dictionary<string, string> environment, string expected)
    {
        var run = await ProgramRun.RunAsync(WebhookAssembly, WebhookSettings.Table, args, environment);

        run.AssertRefused("webhook", expected);
    }

    [Fact(Timeout = 120_000)]
    public async Task Main_Help_ListsEverySettingWithItsDefaultWithoutOtherSettings()
    {
        var run = await ProgramRun.RunAsync(WebhookAssembly, WebhookSettings.Table, ["--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(WebhookSettings.Table.HelpText(), run.Output);
        Assert.All(WebhookSettings.Table.Settings, setting => Assert.Contains(setting.Name, run.Output, StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Main_Version_OneJsonLineWithoutOtherSettings()
    {
        var run = await ProgramRun.RunAsync(WebhookAssembly, WebhookSettings.Table, ["--version"]);

        run.AssertVersion();
    }
}
