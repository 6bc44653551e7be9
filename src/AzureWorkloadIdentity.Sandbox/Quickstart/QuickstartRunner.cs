using System.Security.Cryptography;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// The documentation's Quick Start, step by step, against the sandbox: a Key Vault and secret, an identity with
/// access to it, a labelled and annotated service account, a federated identity credential for the cluster's issuer,
/// the webhook, the quick-start pod, and a sample run as its container that reads the secret through the real token
/// exchange. Exits 0 only when the secret came back.
/// </summary>
internal sealed class QuickstartRunner(QuickstartOptions options, TextWriter output)
{
    private const string Location = "westus2";
    private const string SampleImageRegistry = "ghcr.io/azure-workload-identity-dotnet/";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var names = new Names(
            $"azwi-quickstart-{suffix}", $"azwi-kv-{suffix}", options.SecretName, $"azwi-quickstart-identity-{suffix}",
            $"azwi-quickstart-app-{suffix}", options.ServiceAccountNamespace, options.ServiceAccountName);
        var sampleImage = SampleImageRegistry + options.Sample + ":latest";
        bool containers;
        LocalImage? localSample = null;
        try
        {
            // Checked before anything starts: a missing prerequisite is one line naming the command that installs it.
            containers = ContainerRuntimeSelector.UseContainers(out var runtime);
            output.WriteLine(runtime);
            if (containers)
            {
                await SampleImageBuilder.EnsureBuiltAsync(sampleImage, options.Sample, output, cancellationToken);
            }
            else
            {
                localSample = SampleImages.Create(SampleImageRegistry + options.Sample, options.Sample);
            }
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"Quick start failed: {e.Message}");
            return 1;
        }

        var steps = new StepReporter(output, options.SkipCleanup ? 9 : 10);
        SandboxHost? host = null;
        LocalWebhook? webhook = null;
        LocalKubelet? kubelet = null;
        PodmanContainerRunner? podman = null;
        var started = DateTimeOffset.UtcNow;
        try
        {
            host = await steps.RunAsync("Start the sandbox: Entra ID, OIDC issuer, Microsoft Graph, Resource Manager, Key Vault, Kubernetes API", async () =>
            {
                var h = await SandboxHost.StartAsync(cancellationToken: cancellationToken);
                return (h, $"tenant {h.Directory.TenantId}, issuer {h.IssuerUrl}");
            });
            var az = new AzureCliStandIn(host);
            using var kubectl = host.Kubernetes.CreateClient();

            var vaultUri = await steps.RunAsync("Create an Azure Key Vault and secret (az group create, az keyvault create, az keyvault secret set)", async () =>
            {
                await az.CreateResourceGroupAsync(names.ResourceGroup, Location, cancellationToken);
                var uri = await az.CreateKeyVaultAsync(names.ResourceGroup, names.KeyVault, Location, cancellationToken);
                await az.SetSecretAsync(uri, names.Secret, options.SecretValue, cancellationToken);
                return (uri, $"resource group {names.ResourceGroup}, vault {names.KeyVault} ({uri}), secret {names.Secret}");
            });

            var azwi = new AzwiInvoker(host, output);
            var (clientId, principalId) = options.UserAssignedIdentity
                ? await steps.RunAsync("Create a user-assigned managed identity (az identity create)", async () =>
                {
                    var created = await az.CreateIdentityAsync(names.ResourceGroup, names.Identity, Location, cancellationToken);
                    return (created, $"identity {names.Identity}, client ID {created.ClientId}");
                })
                : await steps.RunAsync("Create an AAD application and service principal (azwi serviceaccount create phase app)", async () =>
                {
                    await azwi.RunAsync(["serviceaccount", "create", "phase", "app", "--aad-application-name", names.Application], cancellationToken);
                    var created = az.FindServicePrincipal(names.Application);
                    return (created, $"application {names.Application}, client ID {created.AppId}");
                });

            await steps.RunAsync("Grant the identity 'get' on secrets (az keyvault set-policy --secret-permissions get)", async () =>
            {
                await az.SetPolicyAsync(names.ResourceGroup, names.KeyVault, principalId, ["get"], cancellationToken);
                return $"object ID {principalId} may get secrets of {names.KeyVault}";
            });

            string[] serviceAccountFlags =
            [
                "--aad-application-name", names.Application,
                "--service-account-namespace", names.Namespace, "--service-account-name", names.ServiceAccount,
            ];
            var subject = WorkloadIdentityDefaults.ServiceAccountSubject(names.Namespace, names.ServiceAccount);
            if (options.UserAssignedIdentity)
            {
                await steps.RunAsync("Create the Kubernetes service account, labelled and annotated (kubectl apply)", async () =>
                {
                    await kubectl.CoreV1.CreateNamespacedServiceAccountAsync(ServiceAccount(names, clientId), names.Namespace, cancellationToken: cancellationToken);
                    return $"serviceaccount/{names.ServiceAccount} in {names.Namespace} with {WorkloadIdentityAnnotations.ClientId}={clientId}";
                });

                await steps.RunAsync("Establish the federated identity credential (az identity federated-credential create)", async () =>
                {
                    await az.CreateIdentityFederatedCredentialAsync(
                        names.ResourceGroup, names.Identity, "kubernetes-federated-credential", host.IssuerUrl, subject, cancellationToken);
                    return $"issuer {host.IssuerUrl}, subject {subject}, audience {WorkloadIdentityDefaults.Audience}";
                });
            }
            else
            {
                await steps.RunAsync("Create the Kubernetes service account (azwi serviceaccount create phase sa)", async () =>
                {
                    await azwi.RunAsync(["serviceaccount", "create", "phase", "sa", .. serviceAccountFlags], cancellationToken);
                    var account = await kubectl.CoreV1.ReadNamespacedServiceAccountAsync(names.ServiceAccount, names.Namespace, cancellationToken: cancellationToken);
                    var annotated = account.Metadata.Annotations?.TryGetValue(WorkloadIdentityAnnotations.ClientId, out var id) == true ? id : "(none)";
                    return $"serviceaccount/{names.ServiceAccount} in {names.Namespace} with {WorkloadIdentityAnnotations.ClientId}={annotated}";
                });

                await steps.RunAsync("Establish the federated identity credential (azwi serviceaccount create phase federated-identity)", async () =>
                {
                    await azwi.RunAsync(
                        ["serviceaccount", "create", "phase", "federated-identity", .. serviceAccountFlags, "--service-account-issuer-url", host.IssuerUrl],
                        cancellationToken);
                    return $"issuer {host.IssuerUrl}, subject {subject}, audience {WorkloadIdentityDefaults.Audience}";
                });
            }

            webhook = await steps.RunAsync("Install the mutating admission webhook", async () =>
            {
                var installed = await LocalWebhook.InstallAsync(host, kubectl, cancellationToken);
                return (installed, $"serving {installed.Url}, registered as {LocalWebhook.ConfigurationName}");
            });

            var (submitted, stored) = await steps.RunAsync("Deploy the quick-start pod (kubectl apply)", async () =>
            {
                var pod = QuickstartPod(names, vaultUri);
                var created = await kubectl.CoreV1.CreateNamespacedPodAsync(pod, names.Namespace, cancellationToken: cancellationToken);
                return ((pod, created), $"pod/{created.Metadata.Name} created, mutated by the webhook");
            });
            output.WriteLine();
            output.WriteLine("kubectl describe pod quick-start (the webhook's additions are marked):");
            output.WriteLine(PodDescriber.Describe(submitted, stored));

            kubelet = new LocalKubelet(kubectl, Path.Combine(host.WorkDirectory, "pods"));
            var run = await steps.RunAsync($"Run the {options.Sample} sample as the pod's container (kubectl logs quick-start)", async () =>
            {
                // A container gets the pod's own network namespace, from which the sandbox's Entra ID and vault are
                // reachable at their usual addresses; a local process shares the machine's network.
                IContainerRunner runner = containers
                    ? podman = new PodmanContainerRunner(host.CaTrustEnvironment())
                    : new LocalContainerRunner([localSample!], host.CaTrustEnvironment());
                var local = containers
                    ? await kubelet.StartPodAsync(stored, [host.AuthorityHost.Port, vaultUri.Port], cancellationToken)
                    : await kubelet.StartPodAsync(stored, cancellationToken);
                await using var pod = await new LocalPodRunner(runner, kubectl, new KubeletOptions { StreamingServer = host.KubeletStreams, Events = host.Kubernetes.Events }).StartAsync(local, TimeSpan.FromSeconds(60), cancellationToken);
                await pod.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                var result = pod.Ended("oidc") ?? new ContainerRun("oidc", 137, [.. pod.Log("oidc"), "[kubelet] still running after 60 s"], TimeSpan.FromSeconds(60));
                foreach (var line in result.Log)
                {
                    output.WriteLine("      | " + line);
                }

                var expected = $"successfully got secret, secret={options.SecretValue}";
                if (result.ExitCode != 0 || !result.Log.Contains(expected))
                {
                    throw new QuickstartStepException(
                        $"container oidc ({sampleImage}) exited with {result.ExitCode} without printing \"{expected}\"; pod phase {pod.Phase}" +
                        $"{(pod.Message is null ? string.Empty : $" ({pod.Message})")}; its last lines: {string.Join(" | ", result.Log.TakeLast(5))}");
                }

                return (result, $"the container read the secret through the token exchange in {result.Duration.TotalMilliseconds:0} ms");
            });

            if (!options.SkipCleanup)
            {
                await steps.RunAsync("Clean up (kubectl delete pod, azwi serviceaccount delete, az group delete)", async () =>
                {
                    await kubectl.CoreV1.DeleteNamespacedPodAsync("quick-start", names.Namespace, cancellationToken: cancellationToken);
                    if (options.UserAssignedIdentity)
                    {
                        await kubectl.CoreV1.DeleteNamespacedServiceAccountAsync(names.ServiceAccount, names.Namespace, cancellationToken: cancellationToken);
                    }
                    else
                    {
                        await azwi.RunAsync(
                            ["serviceaccount", "delete", .. serviceAccountFlags, "--service-account-issuer-url", host.IssuerUrl, "--skip-phases", "role-assignment"],
                            cancellationToken);
                    }

                    await kubectl.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(LocalWebhook.ConfigurationName, cancellationToken: cancellationToken);
                    await az.DeleteResourceGroupAsync(names.ResourceGroup, cancellationToken);
                    return options.UserAssignedIdentity
                        ? $"deleted pod, service account, webhook registration and resource group {names.ResourceGroup} (with the identity)"
                        : $"deleted pod, service account, federated credential, application {names.Application}, webhook registration and resource group {names.ResourceGroup}";
                });
            }

            output.WriteLine();
            output.WriteLine($"Quick start succeeded in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s: the pod read \"{options.SecretValue}\" from Key Vault without any secret of its own.");
            return 0;
        }
        catch (QuickstartStepException e)
        {
            output.WriteLine();
            output.WriteLine($"Quick start failed: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine("Quick start cancelled: removing its containers, pod networks and the sandbox.");
            return 130;
        }
        finally
        {
            // Containers first (also after a failure or Ctrl+C): the pods' network namespaces go with the kubelet.
            if (podman is not null)
            {
                await podman.DisposeAsync();
            }

            if (kubelet is not null)
            {
                await kubelet.DisposeAsync();
            }

            if (webhook is not null)
            {
                await webhook.DisposeAsync();
            }

            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static V1ServiceAccount ServiceAccount(Names names, string clientId) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta
        {
            Name = names.ServiceAccount,
            NamespaceProperty = names.Namespace,
            Labels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = WorkloadIdentityLabels.UseValue },
            Annotations = new Dictionary<string, string> { [WorkloadIdentityAnnotations.ClientId] = clientId },
        },
    };

    /// <summary>The documentation's pod, with the chosen sample's image and the settings only the sandbox needs.</summary>
    private V1Pod QuickstartPod(Names names, Uri vaultUri) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "quick-start",
            NamespaceProperty = names.Namespace,
            Labels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = WorkloadIdentityLabels.UseValue },
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = names.ServiceAccount,
            // The sample reads the secret once and exits; with the default (Always) a kubelet would restart it.
            RestartPolicy = "Never",
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
            Containers =
            [
                new V1Container
                {
                    Name = "oidc",
                    Image = SampleImageRegistry + options.Sample + ":latest",
                    Env =
                    [
                        new V1EnvVar { Name = "KEYVAULT_URL", Value = vaultUri.ToString() },
                        new V1EnvVar { Name = "SECRET_NAME", Value = names.Secret },
                        new V1EnvVar { Name = "SECRET_REFRESH_SECONDS", Value = "0" },
                        new V1EnvVar { Name = "AZURE_DISABLE_INSTANCE_DISCOVERY", Value = "true" },
                        new V1EnvVar { Name = "KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION", Value = "true" },
                    ],
                },
            ],
        },
    };

    private sealed record Names(
        string ResourceGroup, string KeyVault, string Secret, string Identity, string Application, string Namespace, string ServiceAccount);
}
