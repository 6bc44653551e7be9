using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>
/// A sandbox host plus azwi pointed at it the documented way: <c>--azure-env AzureStackCloud</c> with
/// AZURE_ENVIRONMENT_FILEPATH, KUBECONFIG, the operator's client secret; only the CA trust is passed in-process.
/// </summary>
internal sealed class SandboxCli : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private SandboxCli(SandboxHost host)
    {
        Host = host;
        _environment = host.Environment().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        // An empty Azure CLI profile, so the subscription must come from the flag.
        _environment["AZURE_CONFIG_DIR"] = Path.Combine(host.WorkDirectory, "azure-cli");
    }

    public SandboxHost Host { get; }

    public string Issuer => Host.IssuerUrl;

    public static async Task<SandboxCli> StartAsync() =>
        new(await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero }));

    /// <summary>Points azwi at another cluster than the sandbox's (a kubeconfig path), keeping the sandbox's cloud.</summary>
    public void UseKubeconfig(string path) => _environment["KUBECONFIG"] = path;

    public string[] Auth(params string[] args) =>
    [
        .. args,
        "--azure-env", "AzureStackCloud",
        "--subscription-id", Host.Directory.SubscriptionId,
        "--auth-method", "client_secret",
        "--client-id", Host.Operator.ClientId,
        "--client-secret", Host.Operator.ClientSecret,
    ];

    /// <summary>Signs in as the operator with a certificate (the flags of <c>--auth-method client_certificate</c>).</summary>
    public string[] CertificateAuth(string certificatePath, string privateKeyPath, params string[] args) =>
    [
        .. args,
        "--azure-env", "AzureStackCloud",
        "--subscription-id", Host.Directory.SubscriptionId,
        "--auth-method", "client_certificate",
        "--client-id", Host.Operator.ClientId,
        "--certificate-path", certificatePath,
        "--private-key-path", privateKeyPath,
    ];

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var services = new CliServices(new CliConsole(output, error), TimeProvider.System)
        {
            GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
            CreateHttpHandler = Host.Tls.CreateTrustingHandler,
            RoleAssignmentRetryDelay = TimeSpan.FromMilliseconds(10),
        };
        var exitCode = await CliApplication.InvokeAsync(args, services, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public IKubernetes Kubernetes() => Host.Kubernetes.CreateClient();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
