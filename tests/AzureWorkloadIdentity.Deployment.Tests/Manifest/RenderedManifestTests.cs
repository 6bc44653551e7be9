using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using AzureWorkloadIdentity.TestUtilities;
using k8s.Models;

namespace AzureWorkloadIdentity.Deployment.Tests.Manifest;

/// <summary>deploy/azure-wi-webhook.yaml: the kubectl install path, kept equal to the chart.</summary>
[Collection(DeploymentToolsCollection.Name)]
public sealed partial class RenderedManifestTests(DeploymentTools tools)
{
    [Fact(Timeout = 120_000)]
    public async Task Manifest_Committed_EqualsFreshRender()
    {
        var fresh = await ProcessRunner.RunAsync("bash", ["scripts/render-manifest.sh", "-"], tools.Root, TimeSpan.FromMinutes(5));
        Assert.True(fresh.ExitCode == 0, fresh.Describe("scripts/render-manifest.sh"));

        var committed = await File.ReadAllTextAsync(tools.ManifestPath);

        Assert.True(
            committed == fresh.StandardOutput,
            "deploy/azure-wi-webhook.yaml differs from the chart; run scripts/render-manifest.sh and commit the result");
    }

    [Fact(Timeout = 120_000)]
    public async Task Manifest_Placeholders_OnlyTenantAndEnvironmentForEnvsubst()
    {
        var manifest = await File.ReadAllTextAsync(tools.ManifestPath);

        var placeholders = Placeholder().Matches(manifest).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["${AZURE_ENVIRONMENT}", "${AZURE_TENANT_ID}"], placeholders);
        Assert.DoesNotContain("$", Placeholder().Replace(manifest, string.Empty), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Manifest_AfterSubstitution_ValidObjectsInOwnNamespace()
    {
        var manifest = (await File.ReadAllTextAsync(tools.ManifestPath))
            .Replace("${AZURE_TENANT_ID}", "00000000-0000-0000-0000-000000000001", StringComparison.Ordinal)
            .Replace("${AZURE_ENVIRONMENT}", "AzurePublicCloud", StringComparison.Ordinal);

        var check = await tools.SchemaCheckAsync(manifest);
        var rendered = RenderedObjects.Parse(manifest);

        Assert.True(check.ExitCode == 0, check.Describe("manifest-check"));
        var ns = rendered.Single<V1Namespace>();
        Assert.Equal("azure-workload-identity-system", ns.Metadata.Name);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.IsType<V1Namespace>(rendered.All[0]);
        Assert.All(rendered.All.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Where(o => o.Metadata.NamespaceProperty is not null),
            o => Assert.Equal("azure-workload-identity-system", o.Metadata.NamespaceProperty));
    }

    [GeneratedRegex(@"\$\{[A-Z_]+\}")]
    private static partial Regex Placeholder();
}
