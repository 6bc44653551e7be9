using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>scripts/build-images.sh tags the images exactly as the chart, the manifest, the webhook and the quick start name them.</summary>
[Collection(DeploymentToolsCollection.Name)]
public sealed class ImageTagTests(DeploymentTools tools)
{
    [Fact(Timeout = 120_000)]
    public async Task List_ProductTags_AreWhatTheChartManifestAndWebhookDefaultsName()
    {
        var tags = await BuiltImages.ListAsync(tools.Root);
        var chart = RenderedObjects.Parse(await tools.TemplateAsync("azureTenantID=t")).Manager;
        var manifest = RenderedObjects.Parse(await File.ReadAllTextAsync(tools.ManifestPath)).Manager;

        Assert.Equal(chart.Image, tags["webhook"]);
        Assert.Equal(manifest.Image, tags["webhook"]);
        foreach (var manager in new[] { chart, manifest })
        {
            var registry = Argument(manager.Args, "--proxy-image-registry");
            var version = Argument(manager.Args, "--proxy-image-version");
            Assert.Equal($"{registry}/{WorkloadIdentityDefaults.ProxyImageName}:{version}", tags["proxy"]);
            Assert.Equal($"{registry}/{WorkloadIdentityDefaults.ProxyInitImageName}:{version}", tags["proxy-init"]);
        }

        // The webhook's defaults, used when the flags are absent.
        const string defaultRegistry = WorkloadIdentityDefaults.ImageRegistry;
        Assert.Equal($"{defaultRegistry}/{WorkloadIdentityDefaults.ProxyImageName}:{MutationOptions.DefaultProxyImageVersion}", tags["proxy"]);
        Assert.Equal($"{defaultRegistry}/{WorkloadIdentityDefaults.ProxyInitImageName}:{MutationOptions.DefaultProxyImageVersion}", tags["proxy-init"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task List_Samples_EveryExampleWithADockerfileAsTheQuickStartNamesIt()
    {
        var tags = await BuiltImages.ListAsync(tools.Root);
        var samples = Directory.GetDirectories(Path.Combine(tools.Root, "examples"))
            .Where(folder => File.Exists(Path.Combine(folder, "Dockerfile")))
            .Select(Path.GetFileName)
            .ToList();

        Assert.NotEmpty(samples);
        Assert.Equal(
            samples.Select(sample => $"{WorkloadIdentityDefaults.ImageRegistry}/{sample}:latest").Order(StringComparer.Ordinal),
            tags.Where(tag => tag.Key is not ("webhook" or "proxy" or "proxy-init")).Select(tag => tag.Value).Order(StringComparer.Ordinal));
    }

    private static string Argument(IEnumerable<string> arguments, string flag) =>
        Assert.Single(arguments, argument => argument.StartsWith(flag + "=", StringComparison.Ordinal))[(flag.Length + 1)..];
}
