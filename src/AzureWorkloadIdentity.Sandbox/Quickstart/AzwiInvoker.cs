using AzureWorkloadIdentity.Cli;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// Runs azwi in-process against the sandbox, as a user who exported the sandbox's environment would run it:
/// custom cloud file, client-secret sign-in as the operator, the sandbox's kubeconfig and CA. Its log lines are
/// echoed, indented, under the quick start's step.
/// </summary>
internal sealed class AzwiInvoker(SandboxHost host, TextWriter output)
{
    public async Task RunAsync(string[] command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        string[] authentication =
        [
            "--azure-env", CustomCloud.Name, "--auth-method", "client_secret", "--client-id", host.Operator.ClientId,
            "--client-secret", host.Operator.ClientSecret, "--subscription-id", host.Directory.SubscriptionId,
        ];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var services = new CliServices(new CliConsole(stdout, stderr), TimeProvider.System)
        {
            GetEnvironmentVariable = name => name switch
            {
                WorkloadIdentityEnvironment.EnvironmentFilePath => host.CloudConfigurationPath,
                "KUBECONFIG" => host.KubeconfigPath,
                _ => Environment.GetEnvironmentVariable(name),
            },
            CreateHttpHandler = host.Tls.CreateTrustingHandler,
            RoleAssignmentRetryDelay = TimeSpan.FromMilliseconds(500),
        };
        var exitCode = await CliApplication.InvokeAsync([.. command, .. authentication], services, cancellationToken);
        foreach (var line in (stdout.ToString() + stderr.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            output.WriteLine("      azwi| " + line);
        }

        if (exitCode != 0)
        {
            throw new QuickstartStepException($"azwi {string.Join(' ', command)} exited with {exitCode} (its output is above)");
        }
    }
}
