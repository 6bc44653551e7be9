using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Configuration;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace AzureWorkloadIdentity.Deployment.Tests.Chart;

/// <summary>The chart's arguments and environment are what the webhook binary accepts and means.</summary>
[Collection(DeploymentToolsCollection.Name)]
public sealed class ChartWebhookContractTests(DeploymentTools tools)
{
    [Theory(Timeout = 120_000)]
    [InlineData]
    [InlineData("certificates.rotation=false", "audience=api://custom", "logFormat=json", "logLevel=debug")]
    public async Task Template_ContainerArguments_AcceptedByWebhook(params string[] sets)
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(["azureTenantID=t", .. sets]));

        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("AZURE_TENANT_ID", "t")]);
        var options = WebhookConfiguration.Load(configuration, [.. rendered.Manager.Args]).Webhook;

        Assert.Equal(Assert.Single(rendered.Manager.VolumeMounts, m => m.Name == "cert").MountPath, options.WebhookCertDir);
        Assert.Equal(sets.Contains("certificates.rotation=false"), options.DisableCertRotation);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Environment_NamesTheObjectsTheChartCreates()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync("azureTenantID=t", "fullnameOverride=wi"));
        var manager = rendered.Manager;
        var environment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["AZURE_TENANT_ID"] = "t" };
        foreach (var variable in manager.Env)
        {
            // As the environment provider reads them; the downward API gives the pod's namespace.
            environment[variable.Name.Replace("__", ":", StringComparison.Ordinal)] =
                variable.ValueFrom?.FieldRef?.FieldPath == "metadata.namespace" ? "wi-system" : variable.Value;
        }

        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(environment);

        // Load validates every section and throws naming each problem.
        var options = WebhookConfiguration.Load(configuration, [.. manager.Args]).CertificateRotation;

        Assert.True(options.Enabled);
        Assert.Equal($"{rendered.Single<V1Service>().Metadata.Name}.wi-system.svc", options.DnsName);
        Assert.Equal(rendered.Single<V1Secret>().Metadata.Name, options.SecretName);
        Assert.Equal(rendered.Single<V1MutatingWebhookConfiguration>().Metadata.Name, options.WebhookConfigurationName);
        Assert.Equal("wi-system", options.Namespace);
        Assert.Equal(Assert.Single(rendered.Single<V1Deployment>().Spec.Template.Spec.Volumes, v => v.Name == "cert").Secret.SecretName, options.SecretName);
        Assert.Equal("wi-webhook-service", rendered.Single<V1Service>().Metadata.Name);
        var role = rendered.Single<V1Role>();
        Assert.Contains(options.SecretName, role.Rules.SelectMany(r => r.ResourceNames ?? []));
        Assert.Contains(options.WebhookConfigurationName, rendered.Single<V1ClusterRole>().Rules.SelectMany(r => r.ResourceNames ?? []));
        Assert.Equal("t", rendered.Single<V1ConfigMap>().Data["AZURE_TENANT_ID"]);
        Assert.Equal(rendered.Single<V1ConfigMap>().Metadata.Name, Assert.Single(manager.EnvFrom).ConfigMapRef.Name);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_WebhookPaths_AreTheWebhooksEndpoints()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync("azureTenantID=t"));

        Assert.Equal(MutateEndpoint.Path, rendered.Webhook.ClientConfig.Service.Path);
        Assert.Equal(WorkloadsEndpoint.Path, rendered.WorkloadsWebhook!.ClientConfig.Service.Path);
    }
}
