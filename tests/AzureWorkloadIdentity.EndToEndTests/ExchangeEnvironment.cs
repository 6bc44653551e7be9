using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// What the token-exchange scenarios share: a sandbox with a Key Vault holding <c>my-secret</c> = <c>Hello!</c>, an
/// application and service account <c>e2e/workload</c> made by azwi with the cluster's issuer, the application allowed
/// to read secrets, and the real webhook installed; plus the local kubelet and the images it can run.
/// </summary>
internal sealed class ExchangeEnvironment : IAsyncDisposable
{
    public const string Namespace = "e2e";
    public const string ServiceAccount = "workload";

    private ExchangeEnvironment(SandboxHost host, IKubernetes client, LocalWebhook webhook, Uri vault, StringWriter log)
    {
        Host = host;
        Client = client;
        Webhook = webhook;
        Vault = vault;
        Log = log;
        Kubelet = new LocalKubelet(client, Path.Combine(host.WorkDirectory, "pods"));
        // With podman the pods' containers are the images scripts/build-images.sh built; without it, local programs.
        Containers = ContainerRuntimeSelector.UseContainers(out _);
        Runner = Containers
            ? new PodmanContainerRunner(host.CaTrustEnvironment())
            : new LocalContainerRunner(
                [
                    new LocalImage(SampleRepository("msal-net"), "dotnet", [RepositoryPrograms.Find("msal-net")]),
                    new LocalImage(SampleRepository("azure-identity-dotnet"), "dotnet", [RepositoryPrograms.Find("azure-identity-dotnet")]),
                    .. ProxyImages.For(),
                ],
                host.CaTrustEnvironment());
    }

    /// <summary>True when the kubelet runs OCI containers (podman), false when it runs local processes.</summary>
    public bool Containers { get; }

    public SandboxHost Host { get; }

    public IKubernetes Client { get; }

    public LocalWebhook Webhook { get; }

    public Uri Vault { get; }

    /// <summary>azwi's output, for failure messages.</summary>
    public StringWriter Log { get; }

    public LocalKubelet Kubelet { get; }

    public IContainerRunner Runner { get; }

    /// <summary>The machine ports a pod with its own network needs: Entra ID and the vault.</summary>
    public IReadOnlyCollection<int> ServicePorts => [Host.AuthorityHost.Port, Vault.Port];

    /// <param name="time">The sandbox's clock (Entra ID's key cache, token lifetimes); the real one by default.</param>
    /// <param name="webhookArguments">Further webhook flags, e.g. <c>--proxy-sidecar-mode=container</c>.</param>
    /// <param name="accessTokenLifetime">Lifetime of Entra ID's access tokens; about an hour by default.</param>
    public static async Task<ExchangeEnvironment> StartAsync(
        TimeProvider? time = null, IReadOnlyList<string>? webhookArguments = null, TimeSpan? accessTokenLifetime = null)
    {
        var log = new StringWriter();
        var host = await SandboxHost.StartAsync(new SandboxOptions
        {
            PrincipalReplicationDelay = TimeSpan.Zero,
            TimeProvider = time ?? TimeProvider.System,
            AccessTokenLifetime = accessTokenLifetime ?? AccessTokenIssuer.DefaultLifetime,
        });
        var client = host.Kubernetes.CreateClient();
        var az = new AzureCliStandIn(host);
        var azwi = new AzwiInvoker(host, log);
        await az.CreateResourceGroupAsync("rg", "westus2", CancellationToken.None);
        var vault = await az.CreateKeyVaultAsync("rg", "azwi-kv-e2e", "westus2", CancellationToken.None);
        await az.SetSecretAsync(vault, "my-secret", "Hello!", CancellationToken.None);
        string[] account = ["--aad-application-name", "e2e-app", "--service-account-namespace", Namespace, "--service-account-name", ServiceAccount];
        await azwi.RunAsync(["serviceaccount", "create", .. account, "--service-account-issuer-url", host.IssuerUrl, "--skip-phases", "role-assignment"], CancellationToken.None);
        await az.SetPolicyAsync("rg", "azwi-kv-e2e", az.FindServicePrincipal("e2e-app").ObjectId, ["get"], CancellationToken.None);
        var webhook = await LocalWebhook.InstallAsync(host, client, CancellationToken.None, webhookArguments);
        return new ExchangeEnvironment(host, client, webhook, vault, log);
    }

    /// <summary>
    /// A kubelet runner for the named samples (any of <see cref="SampleImages.Names"/>): with containers, the shared
    /// runner (every sample is its own image); otherwise their local programs, their prerequisites checked.
    /// </summary>
    public IContainerRunner SampleRunner(IEnumerable<string> samples) => Containers
        ? Runner
        : new LocalContainerRunner([.. samples.Select(s => SampleImages.Create(SampleRepository(s), s))], Host.CaTrustEnvironment());

    /// <summary>The sample's image as scripts/build-images.sh tags it, without the tag.</summary>
    public static string SampleRepository(string sample) => $"{WorkloadIdentityDefaults.ImageRegistry}/{sample}";

    /// <summary>A container running one of the samples against the vault: once, or every <paramref name="refreshSeconds"/>.</summary>
    public V1Container SampleContainer(string name, string sample, int refreshSeconds = 0) => new()
    {
        Name = name,
        Image = SampleRepository(sample) + ":latest",
        Env =
        [
            new V1EnvVar { Name = "KEYVAULT_URL", Value = Vault.ToString() },
            new V1EnvVar { Name = "SECRET_NAME", Value = "my-secret" },
            new V1EnvVar { Name = "SECRET_REFRESH_SECONDS", Value = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new V1EnvVar { Name = "AZURE_DISABLE_INSTANCE_DISCOVERY", Value = "true" },
            new V1EnvVar { Name = "KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION", Value = "true" },
        ],
    };

    public async ValueTask DisposeAsync()
    {
        // Containers first: the pods' network namespaces go with the kubelet.
        if (Runner is IAsyncDisposable runner)
        {
            await runner.DisposeAsync();
        }

        await Kubelet.DisposeAsync();

        await Webhook.DisposeAsync();
        Client.Dispose();
        await Host.DisposeAsync();
        Log.Dispose();
    }
}
