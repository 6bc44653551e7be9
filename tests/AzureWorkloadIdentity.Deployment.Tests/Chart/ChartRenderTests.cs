using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using k8s.Models;

namespace AzureWorkloadIdentity.Deployment.Tests.Chart;

/// <summary>helm template of the chart: the objects and settings the installation relies on.</summary>
[Collection(DeploymentToolsCollection.Name)]
public sealed class ChartRenderTests(DeploymentTools tools)
{
    private const string Tenant = "azureTenantID=00000000-0000-0000-0000-000000000001";

    [Fact(Timeout = 120_000)]
    public async Task Template_Defaults_RendersEveryObjectOfTheInstall()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant));

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Role", "RoleBinding", "Secret", "Service", "ServiceAccount"],
            rendered.Kinds.Order(StringComparer.Ordinal));
        var config = rendered.Single<V1ConfigMap>();
        Assert.Equal("azure-wi-webhook-config", config.Metadata.Name);
        Assert.Equal("00000000-0000-0000-0000-000000000001", config.Data["AZURE_TENANT_ID"]);
        Assert.Equal("AzurePublicCloud", config.Data["AZURE_ENVIRONMENT"]);
        var secret = rendered.Single<V1Secret>();
        Assert.Equal("azure-wi-webhook-server-cert", secret.Metadata.Name);
        Assert.Null(secret.Data);
        Assert.All(rendered.All.OfType<k8s.IKubernetesObject<V1ObjectMeta>>(), o =>
        {
            Assert.Equal("true", o.Metadata.Labels["azure-workload-identity.io/system"]);
            Assert.Equal("workload-identity-webhook", o.Metadata.Labels["app"]);
        });
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_ProxySettings_ReachArgsAndEnvironment()
    {
        var defaults = RenderedObjects.Parse(await tools.TemplateAsync(Tenant));
        var set = RenderedObjects.Parse(await tools.TemplateAsync(
            Tenant, "proxy.sidecarMode=container", "proxy.image=mirror.example/proxy@sha256:01", "proxy.initImage=mirror.example/proxy-init:v2"));

        Assert.Contains("--proxy-sidecar-mode=auto", defaults.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Args);
        Assert.False(defaults.Single<V1ConfigMap>().Data.ContainsKey("PROXY_IMAGE"));
        Assert.False(defaults.Single<V1ConfigMap>().Data.ContainsKey("PROXY_INIT_IMAGE"));
        Assert.Contains("--proxy-sidecar-mode=container", set.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Args);
        Assert.Equal("mirror.example/proxy@sha256:01", set.Single<V1ConfigMap>().Data["PROXY_IMAGE"]);
        Assert.Equal("mirror.example/proxy-init:v2", set.Single<V1ConfigMap>().Data["PROXY_INIT_IMAGE"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Defaults_OptInWebhookConfiguration()
    {
        var webhook = RenderedObjects.Parse(await tools.TemplateAsync(Tenant)).Webhook;

        Assert.Equal("Ignore", webhook.FailurePolicy);
        Assert.True(webhook.ObjectSelector is null || (webhook.ObjectSelector.MatchLabels is null && webhook.ObjectSelector.MatchExpressions is null));
        Assert.True(webhook.TimeoutSeconds is > 0 and < 10, $"timeoutSeconds {webhook.TimeoutSeconds} must stay well under the API server's 10 s");
        Assert.Equal("IfNeeded", webhook.ReinvocationPolicy);
        Assert.Equal("None", webhook.SideEffects);
        Assert.Equal(["v1", "v1beta1"], webhook.AdmissionReviewVersions);
        Assert.Null(webhook.ClientConfig.CaBundle);
        Assert.Equal("/mutate-v1-pod", webhook.ClientConfig.Service.Path);
        Assert.Equal("azure-wi-webhook-webhook-service", webhook.ClientConfig.Service.Name);
        Assert.Equal("wi-system", webhook.ClientConfig.Service.NamespaceProperty);
        var rule = Assert.Single(webhook.Rules);
        Assert.Equal(["CREATE"], rule.Operations);
        Assert.Equal(["pods"], rule.Resources);
        var excluded = Assert.Single(webhook.NamespaceSelector.MatchExpressions);
        Assert.Equal("kubernetes.io/metadata.name", excluded.Key);
        Assert.Equal("NotIn", excluded.OperatorProperty);
        Assert.Equal(["kube-system", "wi-system"], excluded.Values);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Defaults_WorkloadWarningsWebhookOnSameServiceNeverBlocking()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant));
        var pods = rendered.Webhook;
        var workloads = rendered.WorkloadsWebhook;

        Assert.NotNull(workloads);
        Assert.Equal(2, rendered.Single<V1MutatingWebhookConfiguration>().Webhooks.Count);
        Assert.Equal("Ignore", workloads.FailurePolicy);
        Assert.Equal("None", workloads.SideEffects);
        Assert.Equal("Never", workloads.ReinvocationPolicy);
        Assert.True(workloads.TimeoutSeconds is > 0 and <= 3, $"timeoutSeconds {workloads.TimeoutSeconds} must be short: the answer is only warnings");
        Assert.Null(workloads.ClientConfig.CaBundle);
        Assert.Equal("/warn-v1-workloads", workloads.ClientConfig.Service.Path);
        Assert.Equal(pods.ClientConfig.Service.Name, workloads.ClientConfig.Service.Name);
        Assert.Equal(pods.ClientConfig.Service.Port, workloads.ClientConfig.Service.Port);
        Assert.Null(workloads.ObjectSelector);
        Assert.Equal(["kube-system", "wi-system"], Assert.Single(workloads.NamespaceSelector.MatchExpressions).Values);
        Assert.Collection(
            workloads.Rules,
            apps =>
            {
                Assert.Equal(["apps"], apps.ApiGroups);
                Assert.Equal(["deployments", "statefulsets", "daemonsets", "replicasets"], apps.Resources);
                Assert.Equal(["CREATE", "UPDATE"], apps.Operations);
            },
            batch =>
            {
                Assert.Equal(["batch"], batch.ApiGroups);
                Assert.Equal(["jobs", "cronjobs"], batch.Resources);
                Assert.Equal(["CREATE", "UPDATE"], batch.Operations);
            });
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_WorkloadWarningsDisabled_OnlyPodWebhook()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant, "workloadWarnings.enabled=false"));

        Assert.Null(rendered.WorkloadsWebhook);
        Assert.Equal("/mutate-v1-pod", Assert.Single(rendered.Single<V1MutatingWebhookConfiguration>().Webhooks).ClientConfig.Service.Path);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_StrictMode_PodLabelSelectorAndFailurePolicyFail()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant, "admissionMode=strict", "mutatingWebhookObjectSelector.matchLabels.team=a"));
        var webhook = rendered.Webhook;

        Assert.Equal("Fail", webhook.FailurePolicy);
        Assert.Equal("true", webhook.ObjectSelector.MatchLabels["azure.workload.identity/use"]);
        Assert.Equal("a", webhook.ObjectSelector.MatchLabels["team"]);
        // The workload entry warns precisely about workloads the pod selector would miss, and never blocks.
        Assert.Equal("Ignore", rendered.WorkloadsWebhook!.FailurePolicy);
        Assert.Null(rendered.WorkloadsWebhook.ObjectSelector);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_ExplicitFailurePolicyAndNamespaceSelector_Override()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(
            Tenant, "mutatingWebhookFailurePolicy=Fail", "mutatingWebhookNamespaceSelector.matchLabels.wi=enabled",
            "mutatingWebhookAnnotations.admissions\\.enforcer/disabled=true"));
        var webhook = rendered.Webhook;

        Assert.Equal("Fail", webhook.FailurePolicy);
        Assert.Equal("enabled", webhook.NamespaceSelector.MatchLabels["wi"]);
        Assert.Null(webhook.NamespaceSelector.MatchExpressions);
        Assert.Equal("Ignore", rendered.WorkloadsWebhook!.FailurePolicy);
        Assert.Equal("enabled", rendered.WorkloadsWebhook.NamespaceSelector.MatchLabels["wi"]);
        Assert.Null(rendered.WorkloadsWebhook.NamespaceSelector.MatchExpressions);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Defaults_HardenedDeploymentAndDisruptionBudget()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant));
        var deployment = rendered.Single<V1Deployment>();
        var pod = deployment.Spec.Template.Spec;
        var manager = rendered.Manager;

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("azure-wi-webhook-admin", pod.ServiceAccountName);
        Assert.Equal("system-cluster-critical", pod.PriorityClassName);
        Assert.Equal("linux", pod.NodeSelector["kubernetes.io/os"]);
        Assert.Equal("kubernetes.io/hostname", Assert.Single(pod.TopologySpreadConstraints).TopologyKey);
        var security = manager.SecurityContext;
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.True(security.ReadOnlyRootFilesystem);
        Assert.True(security.RunAsNonRoot);
        Assert.Equal(65532, security.RunAsUser);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
        Assert.Equal("/healthz", manager.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", manager.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(manager.Resources.Requests);
        Assert.NotNull(manager.Resources.Limits);
        var certMount = Assert.Single(manager.VolumeMounts, m => m.Name == "cert");
        Assert.True(certMount.ReadOnlyProperty);
        Assert.Equal("1", rendered.Single<V1PodDisruptionBudget>().Spec.MinAvailable.Value);
        var service = rendered.Single<V1Service>();
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(443, port.Port);
        Assert.Equal("webhook-server", port.TargetPort.Value);
        Assert.Equal(9443, Assert.Single(manager.Ports, p => p.Name == "webhook-server").ContainerPort);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_Defaults_RbacLimitedToOwnObjects()
    {
        var rendered = RenderedObjects.Parse(await tools.TemplateAsync(Tenant));

        var role = rendered.Single<V1Role>();
        Assert.Equal("wi-system", role.Metadata.NamespaceProperty);
        Assert.All(role.Rules, rule => Assert.Equal(["secrets"], rule.Resources));
        var named = Assert.Single(role.Rules, rule => rule.ResourceNames is not null);
        Assert.Equal(["azure-wi-webhook-server-cert"], named.ResourceNames);
        Assert.DoesNotContain("list", named.Verbs);
        // Watched by name, so a deleted or corrupted Secret is repaired at once.
        Assert.Equal(["get", "watch", "update", "patch"], named.Verbs);
        var unnamed = Assert.Single(role.Rules, rule => rule.ResourceNames is null);
        Assert.Equal(["create"], unnamed.Verbs);

        var clusterRole = rendered.Single<V1ClusterRole>();
        var accounts = Assert.Single(clusterRole.Rules, rule => rule.Resources.Contains("serviceaccounts"));
        Assert.Equal(["get", "list", "watch"], accounts.Verbs);
        var configurations = Assert.Single(clusterRole.Rules, rule => rule.Resources.Contains("mutatingwebhookconfigurations"));
        Assert.Equal(["azure-wi-webhook-mutating-webhook-configuration"], configurations.ResourceNames);
        Assert.DoesNotContain("create", configurations.Verbs);
        Assert.DoesNotContain("delete", configurations.Verbs);
        Assert.Equal(2, clusterRole.Rules.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task Template_CertManager_NoRotationNoSecretAndCaInjectedByCertManager()
    {
        var yaml = await tools.TemplateAsync(Tenant, "certificates.rotation=false", "certificates.certManager.enabled=true");

        Assert.Contains("kind: Certificate", yaml, StringComparison.Ordinal);
        Assert.Contains("cert-manager.io/inject-ca-from: wi-system/azure-wi-webhook-server-cert", yaml, StringComparison.Ordinal);
        Assert.Contains("- --disable-cert-rotation", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Secret", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Role\n", yaml, StringComparison.Ordinal);
        var check = await tools.SchemaCheckAsync(yaml, "--skip-group=cert-manager.io");
        Assert.True(check.ExitCode == 0, check.Describe("manifest-check"));
    }
}
