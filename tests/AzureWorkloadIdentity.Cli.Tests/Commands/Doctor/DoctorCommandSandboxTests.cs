using AzureWorkloadIdentity.Cli.Commands.Doctor;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Certificates;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

/// <summary>
/// <c>azwi doctor</c> against the sandbox: a healthy set-up reports no failure; each test breaks exactly one link
/// and expects exactly that link's code to fail.
/// </summary>
public sealed class DoctorCommandSandboxTests : IAsyncLifetime
{
    private const int Timeout = 120_000;
    private DoctorSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await DoctorSandbox.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact(Timeout = Timeout)]
    public async Task Doctor_HealthyPod_EveryCheckPassesAndExitsZero()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.DoctorAsync("--pod", "app", "--exchange");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Empty(run.Failed);
        foreach (var code in new[]
        {
            DoctorCodes.WebhookInstalled, DoctorCodes.WebhookEndpoints, DoctorCodes.WebhookCaBundle, DoctorCodes.WebhookSelectors,
            DoctorCodes.OptInLabel, DoctorCodes.ServiceAccountExists, DoctorCodes.ClientIdPresent, DoctorCodes.ClientIdFormat,
            DoctorCodes.NearMissAnnotation, DoctorCodes.TenantIdFormat, DoctorCodes.TokenExpiration, DoctorCodes.PodMutated,
            DoctorCodes.TokenReadable, DoctorCodes.IssuerReachable, DoctorCodes.TokenIssuer, DoctorCodes.AzureSignIn,
            DoctorCodes.IdentityExists, DoctorCodes.CredentialIssuer, DoctorCodes.CredentialSubject, DoctorCodes.CredentialAudience,
            DoctorCodes.Exchange,
        })
        {
            Assert.True(run.Status(code) == "passed", $"{code}: {run.Status(code)}\n{run.Out}");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_TextOutput_OneLinePerCheckWithCodeAndSummary()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.RunAsync(_sandbox.Auth("doctor", "-n", DoctorSandbox.Ns, "--pod", "app"));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.StartsWith($"Diagnosing pod {DoctorSandbox.Ns}/app\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("PASS  WI-WH-001", run.Out, StringComparison.Ordinal);
        Assert.Contains("PASS  WI-FIC-002", run.Out, StringComparison.Ordinal);
        Assert.Contains("no check failed", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_sandbox.Host.Operator.ClientSecret, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_NoWebhookConfiguration_FailsWebhookInstalled()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());
        await _sandbox.Client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(DoctorSandbox.ConfigurationName);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([DoctorCodes.WebhookInstalled], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_WebhookNotAnswering_FailsWebhookEndpoints()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());
        await _sandbox.Webhook.StopAsync();

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.WebhookEndpoints], run.Failed);
        Assert.Contains("failurePolicy Ignore", run.Found(DoctorCodes.WebhookEndpoints), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ChartServiceWithoutReadyEndpoints_FailsWebhookEndpointsUntilAnAddressIsReady()
    {
        const string System = "azure-workload-identity-system";
        const string Service = "azure-wi-webhook-webhook-service";
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());
        await _sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = System } });
        await _sandbox.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = Service },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 443 }] },
        }, System);
        await _sandbox.Client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints { Metadata = new V1ObjectMeta { Name = Service }, Subsets = [] }, System);
        await _sandbox.EditRegistrationAsync(w => w.ClientConfig = new Admissionregistrationv1WebhookClientConfig
        {
            Service = new Admissionregistrationv1ServiceReference { Name = Service, NamespaceProperty = System, Path = "/mutate-v1-pod", Port = 443 },
            CaBundle = w.ClientConfig.CaBundle,
        });

        var notReady = await _sandbox.DoctorAsync("--pod", "app");
        await _sandbox.Client.CoreV1.ReplaceNamespacedEndpointsAsync(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = Service },
            Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "10.0.0.7" }], Ports = [new Corev1EndpointPort { Port = 9443 }] }],
        }, Service, System);
        var ready = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.WebhookEndpoints], notReady.Failed);
        Assert.Contains("has no ready endpoints", notReady.Found(DoctorCodes.WebhookEndpoints), StringComparison.Ordinal);
        Assert.Empty(ready.Failed);
        Assert.Equal("passed", ready.Status(DoctorCodes.WebhookEndpoints));
        Assert.Equal("warning", ready.Status(DoctorCodes.WebhookCaBundle)); // no serving secret to compare with
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_CaBundleOfAnotherAuthority_FailsWebhookCaBundle()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());
        using var other = CertificateAuthority.Create("someone-else", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(1));
        await _sandbox.EditRegistrationAsync(w => w.ClientConfig.CaBundle = System.Text.Encoding.UTF8.GetBytes(other.CertificatePem));

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.WebhookCaBundle], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_NamespaceExcludedBySelector_FailsWebhookSelectors()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());
        await _sandbox.EditRegistrationAsync(w => w.NamespaceSelector.MatchExpressions[0].Values = ["kube-system", DoctorSandbox.Ns]);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.WebhookSelectors], run.Failed);
        Assert.Contains("namespaceSelector", run.Found(DoctorCodes.WebhookSelectors), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_PodWithoutLabelAndAccountWithout_FailsOptInLabel()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Labels.Remove(WorkloadIdentityLabels.Use));
        var pod = DoctorSandbox.MutatedPod();
        pod.Metadata.Labels.Clear();
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.OptInLabel], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_OnlyAccountOptsIn_WarnsOptInLabelAndExitsZero()
    {
        await _sandbox.CreateIdentityAsync();
        var pod = DoctorSandbox.MutatedPod();
        pod.Metadata.Labels.Clear();
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("warning", run.Status(DoctorCodes.OptInLabel));
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_LabelOnDeploymentMetadataOnly_FailsOptInOnTemplate()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Labels.Remove(WorkloadIdentityLabels.Use));
        var manifest = Path.Combine(_sandbox.Host.WorkDirectory, "deployment.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels:
                azure.workload.identity/use: "true"
            spec:
              selector:
                matchLabels: {"{"}app: web{"}"}
              template:
                metadata:
                  labels: {"{"}app: web{"}"}
                spec:
                  serviceAccountName: {DoctorSandbox.Account}
                  containers:
                    - name: web
                      image: busybox
            """);

        var run = await _sandbox.DoctorAsync("-f", manifest);

        Assert.Equal([DoctorCodes.OptInOnTemplate], run.Failed);
        Assert.Contains("Deployment web", run.Found(DoctorCodes.OptInOnTemplate), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_LabelValueTrueCapitalised_FailsOptInValue()
    {
        await _sandbox.CreateIdentityAsync();
        var pod = DoctorSandbox.MutatedPod();
        pod.Metadata.Labels[WorkloadIdentityLabels.Use] = "True";
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.OptInValue], run.Failed);
        Assert.Contains("\"True\"", run.Found(DoctorCodes.OptInValue), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ManifestNamesMissingAccount_FailsServiceAccountExists()
    {
        var manifest = Path.Combine(_sandbox.Host.WorkDirectory, "pod.yaml");
        var pod = DoctorSandbox.MutatedPod(account: "nobody");
        await File.WriteAllTextAsync(manifest, "# a pod without kind is refused below\n" + KubernetesYaml.Serialize(pod));
        var refused = await _sandbox.RunAsync(_sandbox.Auth("doctor", "-n", DoctorSandbox.Ns, "-f", manifest));
        (pod.ApiVersion, pod.Kind) = ("v1", "Pod");
        await File.WriteAllTextAsync(manifest, KubernetesYaml.Serialize(pod));

        var run = await _sandbox.DoctorAsync("-f", manifest);

        Assert.True(refused.ExitCode == ExitCodes.Usage, refused.Error);
        Assert.StartsWith("Error: -f: ", refused.Error, StringComparison.Ordinal);

        Assert.Equal([DoctorCodes.ServiceAccountExists], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_AccountWithoutClientId_FailsClientIdPresent()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations.Remove(WorkloadIdentityAnnotations.ClientId));
        var pod = DoctorSandbox.MutatedPod();
        pod.Spec.Containers[0].Env.RemoveAt(0);
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.ClientIdPresent], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ClientIdNotAGuid_FailsClientIdFormat()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId] = "my-app");
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.ClientIdFormat], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_NearMissAnnotationKey_FailsNearMissAnnotationNamingTheKey()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations["azure.workload.identity/tenant_id"] = "x");
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.DoctorAsync("--service-account", DoctorSandbox.Account);

        Assert.Equal([DoctorCodes.NearMissAnnotation], run.Failed);
        Assert.Contains("'azure.workload.identity/tenant_id' is not 'azure.workload.identity/tenant-id'", run.Found(DoctorCodes.NearMissAnnotation), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_TenantIdNotAGuid_FailsTenantIdFormat()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations[WorkloadIdentityAnnotations.TenantId] = "contoso.onmicrosoft.com");

        var run = await _sandbox.DoctorAsync("--service-account", DoctorSandbox.Account);

        Assert.Equal([DoctorCodes.TenantIdFormat], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ExpirationBelowMinimum_FailsTokenExpiration()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration] = "100");

        var run = await _sandbox.DoctorAsync("--service-account", DoctorSandbox.Account);

        Assert.Equal([DoctorCodes.TokenExpiration], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_OptedInPodNotMutated_FailsPodMutatedAndSaysRecreate()
    {
        await _sandbox.CreateIdentityAsync();
        var pod = DoctorSandbox.MutatedPod();
        pod.Spec.Volumes.Clear();
        pod.Spec.Containers[0].Env.Clear();
        pod.Spec.Containers[0].VolumeMounts.Clear();
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.PodMutated], run.Failed);
        Assert.Contains("kubectl delete pod", run.Checks[DoctorCodes.PodMutated]["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_SkipContainersNamesUnknownContainer_WarnsSkipContainers()
    {
        await _sandbox.CreateIdentityAsync();
        var pod = DoctorSandbox.MutatedPod();
        pod.Metadata.Annotations = new Dictionary<string, string> { [WorkloadIdentityAnnotations.SkipContainers] = "sidecr" };
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("warning", run.Status(DoctorCodes.SkipContainers));
        Assert.Contains("sidecr", run.Found(DoctorCodes.SkipContainers), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_NonRootUserAndOwnerOnlyTokenMode_FailsTokenReadable()
    {
        await _sandbox.CreateIdentityAsync();
        var pod = DoctorSandbox.MutatedPod();
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };
        pod.Spec.Volumes[0].Projected.DefaultMode = Convert.ToInt32("600", 8);
        await _sandbox.CreatePodAsync(pod);

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.TokenReadable], run.Failed);
        Assert.Contains("fsGroup", run.Checks[DoctorCodes.TokenReadable]["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_NotSignedIn_FailsAzureSignIn()
    {
        await _sandbox.CreateIdentityAsync();

        // No --subscription-id and no Azure CLI profile: the default --auth-method cli has no subscription.
        var run = DoctorRun.Parse(await _sandbox.RunAsync("doctor", "-n", DoctorSandbox.Ns, "--service-account", DoctorSandbox.Account, "-o", "json"));

        Assert.Equal([DoctorCodes.AzureSignIn], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ClientIdOfNoIdentity_FailsIdentityExistsWithAadsts700016()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.EditAccountAsync(a => a.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId] = Guid.NewGuid().ToString());

        var run = await _sandbox.DoctorAsync("--service-account", DoctorSandbox.Account);

        Assert.Equal([DoctorCodes.IdentityExists], run.Failed);
        Assert.Contains("AADSTS700016", run.Found(DoctorCodes.IdentityExists), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_CredentialIssuerWithoutTrailingSlash_FailsCredentialIssuerWithDifferenceMarked()
    {
        var issuer = _sandbox.IssuerOfCluster();
        await _sandbox.CreateIdentityAsync(issuer: issuer.TrimEnd('/'));
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.CredentialIssuer], run.Failed);
        var details = run.Details(DoctorCodes.CredentialIssuer);
        Assert.Equal(3, details.Count);
        Assert.EndsWith($"\"{issuer}\"", details[0], StringComparison.Ordinal);
        Assert.EndsWith($"\"{issuer.TrimEnd('/')}\"", details[1], StringComparison.Ordinal);
        // The caret stands under the slash only the token's issuer has.
        Assert.Equal(details[0].IndexOf('"', StringComparison.Ordinal) + 1 + issuer.Length - 1, details[2].IndexOf('^', StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_CredentialForAnotherAccount_FailsCredentialSubject()
    {
        var clientId = await _sandbox.CreateIdentityAsync();
        await _sandbox.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "copy-sa", Annotations = new Dictionary<string, string> { [WorkloadIdentityAnnotations.ClientId] = clientId } },
        }, DoctorSandbox.Ns);
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod(account: "copy-sa"));

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.CredentialSubject], run.Failed);
        Assert.Contains("system:serviceaccount:demo:copy-sa", string.Join('\n', run.Details(DoctorCodes.CredentialSubject)), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_PodTokenAudienceNotInCredential_FailsCredentialAudience()
    {
        await _sandbox.CreateIdentityAsync();
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod(audience: "api://custom"));

        var run = await _sandbox.DoctorAsync("--pod", "app");

        Assert.Equal([DoctorCodes.CredentialAudience], run.Failed);
    }

    [Fact(Timeout = Timeout)]
    public async Task Doctor_ExchangeWithIssuerMismatch_PrintsAadstsCodeAndMeaning()
    {
        await _sandbox.CreateIdentityAsync(issuer: _sandbox.IssuerOfCluster().TrimEnd('/'));
        await _sandbox.CreatePodAsync(DoctorSandbox.MutatedPod());

        var run = await _sandbox.DoctorAsync("--pod", "app", "--exchange");

        Assert.Equal([DoctorCodes.Exchange, DoctorCodes.CredentialIssuer], run.Failed);
        var found = run.Found(DoctorCodes.Exchange);
        Assert.Matches(@"refused the exchange with AADSTS(70021|700211): no federated credential", found);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("doctor")]
    [InlineData("doctor --pod a --service-account b")]
    [InlineData("doctor --pod a --output yaml")]
    [InlineData("doctor --pod-name a")]
    [InlineData("doctor --pod missing")]
    public async Task Doctor_BadUsage_ExitsTwoWithOneErrorLine(string arguments)
    {
        var run = await _sandbox.RunAsync(_sandbox.Auth(arguments.Split(' ')));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("Error: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal(string.Empty, run.Out);
    }
}
