using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// The real <c>kubectl</c> (on the PATH) and <c>helm</c> (scripts/install-helm.sh) against a sandbox, as a user runs
/// them after <c>eval "$(serve --print-env)"</c>: <c>KUBECONFIG</c> is the sandbox's, <c>HOME</c> a folder of the test;
/// <see cref="ShellAsync"/> runs a documented command line in bash after <c>eval "$(cat sandbox.env)"</c> of
/// <paramref name="envFile"/>, the export lines <c>serve --env-file</c> writes.
/// </summary>
internal sealed class ClusterTools(SandboxHost host, string home, string envFile)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    public static string Root { get; } = SettingsDocumentation.RepositoryRoot();

    public async Task<string> HelmAsync(params string[] arguments)
    {
        var helm = Path.Combine(Root, ".tools", "bin", "helm");
        if (!File.Exists(helm))
        {
            var install = await RunAsync("bash", [Path.Combine(Root, "scripts", "install-helm.sh")], null);
            Assert.True(install.ExitCode == 0 && File.Exists(helm), "helm is missing and scripts/install-helm.sh could not install it: " + install.Error);
        }

        return (await RunAsync(helm, arguments, null)).Succeeded();
    }

    public async Task<string> KubectlAsync(params string[] arguments) => (await RunAsync("kubectl", arguments, null)).Succeeded();

    public async Task<string> KubectlApplyAsync(string yaml) => (await RunAsync("kubectl", ["apply", "-f", "-"], yaml)).Succeeded();

    /// <summary>Runs <paramref name="commandLine"/> as the user types it (pipes and all), with only <c>serve</c>'s exports added to the shell.</summary>
    public async Task<string> ShellAsync(string commandLine) =>
        (await RunAsync("bash", ["-c", $"set -euo pipefail; eval \"$(cat '{envFile}')\"; {commandLine}"], null)).Succeeded();

    public async Task<Result> RunAsync(string program, IReadOnlyList<string> arguments, string? input)
    {
        var run = await ProcessRunner.RunAsync(program, arguments, Root, RunTimeout, input, Environment());
        return new Result($"{Path.GetFileName(program)} {string.Join(' ', arguments)}", run.ExitCode, run.StandardOutput, run.StandardError);
    }

    /// <summary><c>kubectl port-forward</c> with these arguments, once it listens.</summary>
    public Task<PortForwardProcess> PortForwardAsync(params string[] arguments) =>
        PortForwardProcess.StartAsync(Process.Start(ProcessRunner.StartInfo("kubectl", ["port-forward", .. arguments], Root, environment: Environment()))
            ?? throw new InvalidOperationException("could not start kubectl"));

    private Dictionary<string, string> Environment() => new() { ["KUBECONFIG"] = host.KubeconfigPath, ["HOME"] = home };

    public sealed record Result(string Command, int ExitCode, string Output, string Error)
    {
        public string Succeeded() => ExitCode == 0 ? Output : throw new Xunit.Sdk.XunitException($"{Command} exited {ExitCode}: {Error}{Output}");
    }
}
