using System.CommandLine;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Quickstart;

namespace AzureWorkloadIdentity.Sandbox.Commands;

/// <summary>The sandbox's commands: <c>quickstart</c> and <c>serve</c>.</summary>
internal static class SandboxCommandLine
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
        var envFile = new Option<string?>("--env-file") { Description = "Also write the export lines to this file, for: eval \"$(cat FILE)\" or source FILE in another shell." };
        var printEnv = new Option<bool>("--print-env") { Description = "Print only the export lines on stdout (messages go to stderr), for: eval \"$(… serve --print-env)\" in a shell that keeps it running in the background." };
        var noPods = new Option<bool>("--no-pods") { Description = "Do not run the pods the API server gets (by default they run as OCI containers with podman, as root)." };
        var command = new Command("serve", "Start the sandbox and print the environment that points the Azure SDKs, azwi, kubectl and the webhook at it; Ctrl+C stops it.")
        {
            state, work, keepState, envFile, printEnv, noPods,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await SandboxHost.StartAsync(
                new SandboxOptions
                {
                    StateFile = result.GetValue(state),
                    WorkDirectory = result.GetValue(work),
                    KeepWorkDirectory = result.GetValue(keepState),
                    RunPods = !result.GetValue(noPods) && Kubelet.Containers.ContainerRuntimeSelector.PodmanUnavailableReason is null,
                },
                cancellationToken);
            var messages = result.GetValue(printEnv) ? Console.Error : Console.Out;
            var kept = result.GetValue(work) is not null || result.GetValue(keepState);
            messages.WriteLine(kept
                ? $"# Work folder {host.WorkDirectory}: kept when the sandbox stops."
                : $"# Work folder {host.WorkDirectory}: removed when the sandbox stops (--keep-state keeps it).");
            messages.WriteLine("# The sandbox is running. Point your tools at it with:");
            var exports = ServeEnvironment.ExportLines(host);
            foreach (var line in exports)
            {
                Console.WriteLine(line);
            }

            if (result.GetValue(envFile) is { } file)
            {
                await File.WriteAllLinesAsync(file, exports, cancellationToken);
            }

            messages.WriteLine($"# Entra ID {host.AuthorityHost}, Graph {host.GraphEndpoint}, Resource Manager {host.ResourceManagerEndpoint}");
            messages.WriteLine($"# Kubernetes API {host.Kubernetes.BaseUri}, service-account issuer {host.IssuerUrl}");
            messages.WriteLine(host.Kubelet is null
                ? "# Pods are stored, not run (--no-pods, or podman is unavailable: " + (Kubelet.Containers.ContainerRuntimeSelector.PodmanUnavailableReason ?? "off") + ")."
                : "# Pods run as OCI containers (build the images first: bash scripts/build-images.sh).");
            messages.WriteLine("# Press Ctrl+C to stop.");
            await Console.Out.FlushAsync(cancellationToken);
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
