using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using AzureWorkloadIdentity.Webhook.Certificates;
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

        var (values, errors) = WebhookCommandLine.Parse([.. rendered.Manager.Args]);
        values["AZURE_TENANT_ID"] = "t";
        var options = WebhookOptionsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), errors);

        Assert.Empty(WebhookOptionsValidator.Problems(options));
        Assert.Equal(Assert.Single(rendered.Manager.VolumeMounts, m => m.Name == "cert").MountPath, options.WebhookCertDir);
        Assert.Equal(sets.Contains("certificates.rotation=false"), options.DisableCertRotation);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Environment_NamesTheObjectsTheChartCreates()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync("azureTenantID=t", "fullnameOverride=wi"));
        var manager = rendered.Manager;
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in manager.Env)
        {
            // The downward API gives the pod's namespace.
            configuration[variable.Name.Replace("__", ":", StringComparison.Ordinal)] =
                variable.ValueFrom?.FieldRef?.FieldPath == "metadata.namespace" ? "wi-system" : variable.Value;
        }

        var (values, _) = WebhookCommandLine.Parse([.. manager.Args]);
        foreach (var (key, value) in values)
        {
            configuration[key] = value;
        }

        var options = CertificateRotationServiceCollectionExtensions.Read(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());

        Assert.True(options.Enabled);
        Assert.Empty(options.Problems());
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
}
