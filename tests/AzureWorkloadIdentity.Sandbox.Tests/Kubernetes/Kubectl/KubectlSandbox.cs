using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// One sandbox for the kubectl and helm tests, with a kubeconfig for it in a temporary folder; each test works in
/// its own namespace, so tests do not see each other's objects.
/// </summary>
public sealed class KubectlSandbox : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("kubectl-tests-").FullName;

    internal SandboxHost Host { get; private set; } = null!;

    public string Kubeconfig => Path.Combine(_folder, "kubeconfig");

    public string Folder => _folder;

    public async Task InitializeAsync()
    {
        Host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        Host.Kubernetes.WriteKubeconfig(Kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A fresh namespace name for one test.</summary>
    public static string NewNamespace(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public Task<KubectlResult> KubectlAsync(string version, params string[] arguments) =>
        RunAsync(KubectlBinary.Find(version), arguments, input: null);

    public Task<KubectlResult> KubectlWithInputAsync(string version, string input, params string[] arguments) =>
        RunAsync(KubectlBinary.Find(version), arguments, input);

    /// <summary>Starts a long-running command (<c>get -w</c>, <c>logs -f</c>) whose output the test reads as it comes.</summary>
    public Process Start(string program, params string[] arguments)
    {
        var start = StartInfo(program, arguments, redirectInput: false);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
    }

    public async Task<KubectlResult> RunAsync(string program, IReadOnlyList<string> arguments, string? input)
    {
        using var process = Process.Start(StartInfo(program, arguments, input is not null))
            ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var command = Path.GetFileName(program) + " " + string.Join(' ', arguments);
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {RunTimeout}");
        }

        return new KubectlResult(command, process.ExitCode, await output, await error);
    }

    private ProcessStartInfo StartInfo(string program, IReadOnlyList<string> arguments, bool redirectInput)
    {
        // kubectl's discovery cache and helm's config stay in the test's folder
        var start = ProcessRunner.StartInfo(program, arguments, _folder, redirectInput, new Dictionary<string, string> { ["KUBECONFIG"] = Kubeconfig, ["HOME"] = _folder });
        start.Environment.Remove("HELM_HOME");
        return start;
    }
}

[CollectionDefinition(Name)]
public sealed class KubectlSandboxCollection : ICollectionFixture<KubectlSandbox>
{
    public const string Name = "kubectl sandbox";
}
