using System.CommandLine;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Quickstart;

namespace AzureWorkloadIdentity.Sandbox.Commands;

/// <summary>The sandbox's commands: <c>quickstart</c> and <c>serve</c>.</summary>
public static class SandboxCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "A local Entra ID, Microsoft Graph, Resource Manager, Key Vault, OIDC issuer and Kubernetes API for trying Azure AD Workload Identity without Azure.");
        root.Subcommands.Add(QuickstartCommand());
        root.Subcommands.Add(ServeCommand());
        return root;
    }

    private static Command QuickstartCommand()
    {
        var identity = new Option<bool>("--user-assigned-identity") { Description = "Use a user-assigned managed identity (az identity …) instead of an AAD application created by azwi." };
        var sample = new Option<string>("--sample") { Description = $"The sample run as the pod's container: {string.Join(", ", SampleImages.Names)}.", DefaultValueFactory = _ => "msal-net" };
        sample.AcceptOnlyFromAmong([.. SampleImages.Names]);
        var keep = new Option<bool>("--skip-cleanup") { Description = "Do not delete what the quick start created (all state is in memory and ends with the command)." };
        var command = new Command("quickstart", "Run the documentation's Quick Start end to end against the sandbox; exits 0 when the pod read the secret.")
        {
            identity, sample, keep,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new QuickstartOptions
            {
                UserAssignedIdentity = result.GetValue(identity),
                Sample = result.GetValue(sample)!,
                SkipCleanup = result.GetValue(keep),
            };
            return new QuickstartRunner(options, Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }

    private static Command ServeCommand()
    {
        var state = new Option<string?>("--state-file") { Description = "Load the cloud state from this file at start and save it on exit." };
        var work = new Option<string?>("--work-dir") { Description = "Where the CA bundle, cloud file and kubeconfig are written and kept after the sandbox stops (default: a new temporary folder, removed when the sandbox stops)." };
        var keepState = new Option<bool>("--keep-state") { Description = "Keep the temporary work folder (kubeconfig, CA bundle, cloud file, pods' folders) when the sandbox stops; it is printed at start and at stop." };
        var command = new Command("serve", "Start the sandbox and print the environment that points the Azure SDKs, azwi, kubectl and the webhook at it; Ctrl+C stops it.")
        {
            state, work, keepState,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await SandboxHost.StartAsync(
                new SandboxOptions
                {
                    StateFile = result.GetValue(state),
                    WorkDirectory = result.GetValue(work),
                    KeepWorkDirectory = result.GetValue(keepState),
                },
                cancellationToken);
            var kept = result.GetValue(work) is not null || result.GetValue(keepState);
            Console.WriteLine(kept
                ? $"# Work folder {host.WorkDirectory}: kept when the sandbox stops."
                : $"# Work folder {host.WorkDirectory}: removed when the sandbox stops (--keep-state keeps it).");
            Console.WriteLine("# The sandbox is running. Point your tools at it with:");
            foreach (var (name, value) in host.Environment())
            {
                // The operator's secret is read from its file rather than printed.
                Console.WriteLine(name == "AZURE_CLIENT_SECRET"
                    ? $"export {name}=\"$(cat '{host.OperatorSecretPath}')\""
                    : $"export {name}='{value}'");
            }

            Console.WriteLine($"# Entra ID {host.AuthorityHost}, Graph {host.GraphEndpoint}, Resource Manager {host.ResourceManagerEndpoint}");
            Console.WriteLine($"# Kubernetes API {host.Kubernetes.BaseUri}, service-account issuer {host.IssuerUrl}");
            Console.WriteLine("# Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                host.SaveState();
            }

            if (kept)
            {
                Console.WriteLine($"# Stopped; kept {host.WorkDirectory}.");
            }

            return 0;
        });
        return command;
    }
}
