using AzureWorkloadIdentity.Deployment.Tests.Tooling;

namespace AzureWorkloadIdentity.Deployment.Tests.Chart;

/// <summary>helm lint, the schema check, and the chart's refusals with clear messages.</summary>
[Collection(DeploymentToolsCollection.Name)]
public sealed class ChartValidationTests(DeploymentTools tools)
{
    private const string Tenant = "azureTenantID=00000000-0000-0000-0000-000000000001";

    [Fact(Timeout = 120_000)]
    public async Task Lint_Chart_Passes()
    {
        var result = await tools.HelmAsync("lint", "--strict", tools.ChartPath, "--set", Tenant);

        Assert.True(result.ExitCode == 0, result.Describe("helm lint"));
        Assert.Contains("0 chart(s) failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_TenantMissing_FailsNamingTheValueAndTheFix()
    {
        var result = await tools.TemplateResultAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("azureTenantID is required", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--set azureTenantID=", result.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("admissionMode=permissive", "admissionMode must be optIn or strict")]
    [InlineData("mutatingWebhookFailurePolicy=Sometimes", "mutatingWebhookFailurePolicy must be Ignore, Fail or empty")]
    [InlineData("timeoutSeconds=45", "timeoutSeconds must be between 1 and 30")]
    [InlineData("certificates.certManager.enabled=true", "needs certificates.rotation=false")]
    [InlineData("proxy.sidecarMode=sidecar", "proxy.sidecarMode must be auto, native or container")]
    public async Task Template_InvalidValue_FailsWithClearMessage(string set, string message)
    {
        var result = await tools.TemplateResultAsync(Tenant, set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData]
    [InlineData("admissionMode=strict")]
    [InlineData("podDisruptionBudget.minAvailable=null", "podDisruptionBudget.maxUnavailable=1", "revisionHistoryLimit=3", "audience=api://custom")]
    public async Task SchemaCheck_Renders_EveryObjectValid(params string[] sets)
    {
        var yaml = await tools.TemplateAsync([Tenant, .. sets]);

        var check = await tools.SchemaCheckAsync(yaml);

        Assert.True(check.ExitCode == 0, check.Describe("manifest-check"));
        Assert.Contains("0 problem(s)", check.StandardOutput, StringComparison.Ordinal);
        _ = RenderedObjects.Parse(yaml);
    }

    [Fact(Timeout = 120_000)]
    public async Task SchemaCheck_BrokenObject_Rejected()
    {
        const string broken = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata:
              name: broken
            webhooks:
              - name: a.example.com
                sideEffects: Bogus
                admissionReviewVersions: v1
                clientConfig: {}
            """;

        var check = await tools.SchemaCheckAsync(broken);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("sideEffects", check.StandardError, StringComparison.Ordinal);
        Assert.Contains("admissionReviewVersions", check.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task SchemaCheck_UnknownKind_Rejected()
    {
        var check = await tools.SchemaCheckAsync("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("no schema for apps/v1 Deploymnet", check.StandardError, StringComparison.Ordinal);
    }
}
