using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Cli.Commands.Version;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary>
/// <c>azwi podidentity detect</c>: writes, for every workload in a namespace that uses an aad-pod-identity binding,
/// a service account file and the workload's manifest with the proxy containers added, ready to review and apply.
/// </summary>
internal static class DetectCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        var ns = new Option<string>("--namespace") { Description = "Namespace to detect the aad-pod-identity configuration in", DefaultValueFactory = _ => "default" };
        var outputDir = new Option<string>("--output-dir", "-o") { Description = "Output directory to write the configuration files (required)" };
        var proxyPort = new Option<int>("--proxy-port", "-p") { Description = "Proxy port to use for the proxy container", DefaultValueFactory = _ => WorkloadIdentityDefaults.ProxyPort };
        var expiration = new Option<string>("--service-account-token-expiration") { Description = "Expiration time of the service account token. Must be between 1 hour and 24 hours", DefaultValueFactory = _ => "1h0m0s" };
        var tenantId = new Option<string>("--tenant-id") { Description = "Managed identity tenant id. If specified, the tenant id will be set as an annotation on the service account" };
        var command = new Command("detect", "Detect the existing aad-pod-identity configuration and generate workload identity migration files");
        command.Options.Add(ns);
        command.Options.Add(outputDir);
        command.Options.Add(proxyPort);
        command.Options.Add(expiration);
        command.Options.Add(tenantId);
        CommandActions.Set(command, services, debug, (parseResult, log, ct) =>
        {
            var request = new DetectRequest(
                parseResult.GetValue(ns) ?? "default",
                parseResult.GetValue(outputDir) ?? "",
                parseResult.GetValue(proxyPort),
                parseResult.GetValue(expiration) ?? "1h0m0s",
                parseResult.GetValue(tenantId));
            return RunAsync(services, log, request, ct);
        });
        return command;
    }

    private sealed record DetectRequest(string Namespace, string OutputDir, int ProxyPort, string Expiration, string? TenantId);

    private static async Task<int> RunAsync(CliServices services, CliLog log, DetectRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.OutputDir))
        {
            throw new CliUsageException("--output-dir is required; pass the directory the migration files should be written to, e.g. -o ./migration");
        }

        if (request.ProxyPort is < 1 or > 65535)
        {
            throw new CliUsageException($"--proxy-port {request.ProxyPort} is not a TCP port; use a value from 1 to 65535 (default 8000)");
        }

        if (!GoDuration.TryParse(request.Expiration, out var expiration))
        {
            throw new CliUsageException($"--service-account-token-expiration: \"{request.Expiration}\" is not a duration; use e.g. 1h, 90m or 24h0m0s");
        }

        if (expiration < TimeSpan.FromSeconds(WorkloadIdentityDefaults.MinTokenExpirationSeconds))
        {
            throw new CliUsageException("--service-account-token-expiration must be greater than or equal to 1h0m0s");
        }

        if (expiration > TimeSpan.FromSeconds(WorkloadIdentityDefaults.MaxTokenExpirationSeconds))
        {
            throw new CliUsageException("--service-account-token-expiration must be less than or equal to 24h0m0s");
        }

        var client = CreateKubernetes(services);
        Directory.CreateDirectory(request.OutputDir);
        var bindings = await PodIdentityBindingReader.ReadAsync(client, request.Namespace, ct).ConfigureAwait(false);
        var imageTag = "v" + VersionCommand.Read(typeof(DetectCommand).Assembly).Version;
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(
                request.Namespace, labelSelector: $"{PodIdentityBindingReader.PodLabel}={binding.Selector}", cancellationToken: ct).ConfigureAwait(false);
            foreach (var pod in pods.Items.OrderBy(p => p.Name(), StringComparer.Ordinal))
            {
                var workload = await OwnerResolver.ResolveAsync(client, pod, ct).ConfigureAwait(false);
                var key = workload.Kind + "/" + workload.Name();
                if (!written.Add(key))
                {
                    continue;
                }

                await WriteAsync(client, log, request, workload, binding, expiration, imageTag, ct).ConfigureAwait(false);
            }
        }

        log.Info($"generated resource and service account files in output directory: {request.OutputDir}");
        log.Info("Next steps:");
        log.Info("1. Install the Azure Workload Identity webhook");
        log.Info("2. Create federated identity credentials for the user-assigned identities and the service accounts");
        log.Info("3. Review the generated files and apply them with kubectl apply -f " + request.OutputDir);
        return ExitCodes.Success;
    }

    private static async Task WriteAsync(IKubernetes client, CliLog log, DetectRequest request, IKubernetesObject<V1ObjectMeta> workload,
        PodIdentityBinding binding, TimeSpan expiration, string imageTag, CancellationToken ct)
    {
        var name = workload.Name();
        var spec = OwnerResolver.PodSpec(workload);
        var accountName = spec.ServiceAccountName;
        V1ServiceAccount account;
        if (string.IsNullOrEmpty(accountName) || accountName == WorkloadIdentityDefaults.DefaultServiceAccountName)
        {
            accountName = name;
            account = MigrationManifests.NewServiceAccount(accountName, request.Namespace);
        }
        else
        {
            account = await client.CoreV1.ReadNamespacedServiceAccountAsync(accountName, request.Namespace, cancellationToken: ct).ConfigureAwait(false);
        }

        MigrationManifests.Amend(account, binding.ClientId, expiration, request.TenantId);
        MigrationManifests.AmendWorkload(workload, accountName, request.ProxyPort, imageTag);
        await File.WriteAllTextAsync(Path.Combine(request.OutputDir, name + "-serviceaccount.yaml"), KubernetesYaml.Serialize(account), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(request.OutputDir, name + ".yaml"), KubernetesYaml.Serialize(workload), ct).ConfigureAwait(false);
        log.Debug("wrote migration files", ("kind", (object?)workload.Kind), ("name", name), ("serviceAccount", accountName), ("identity", binding.IdentityName));
    }

    private static IKubernetes CreateKubernetes(CliServices services)
    {
        try
        {
            var kubeconfig = services.GetEnvironmentVariable("KUBECONFIG");
            var configuration = !string.IsNullOrEmpty(kubeconfig)
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig.Split(Path.PathSeparator)[0])
                : KubernetesClientConfiguration.BuildDefaultConfig();
            return new k8s.Kubernetes(configuration);
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot build a Kubernetes client from KUBECONFIG or ~/.kube/config: {exception.Message}; point KUBECONFIG at your cluster");
        }
    }
}
