using System.Globalization;
using System.Net;
using AzureWorkloadIdentity.Cli.Phases;
using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// Creates the Kubernetes service account with the workload identity label and the client-id, tenant-id and (when
/// not 1h) token-expiration annotations; an existing one gets them set, other labels and annotations kept.
/// </summary>
internal sealed class ServiceAccountPhase(ServiceAccountRun run) : IPhase
{
    public static readonly TimeSpan MinimumExpiration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaximumExpiration = TimeSpan.FromHours(24);

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo(
            "service-account", ["sa"],
            "Create Kubernetes service account in the current KUBECONFIG context and add azure-workload-identity labels and annotations to it"),
        f => [f.Namespace, f.Name, f.TokenExpiration, f.ApplicationName, f.ApplicationClientId, f.IssuerUrl, f.UserAssignedIdentityName, f.ResourceGroup],
        run => new ServiceAccountPhase(run));

    public PhaseInfo Info => Definition.Info;

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        run.Inputs.RequireServiceAccount();

        ValidateExpiration(run.Inputs.TokenExpiration);
        if (run.Inputs.UsesUserAssignedIdentity)
        {
            run.Inputs.RequireResourceGroup();
        }

        run.Connections.Kubernetes();
        return Task.CompletedTask;
    }

    public static void ValidateExpiration(TimeSpan expiration)
    {
        if (expiration < MinimumExpiration)
        {
            throw new CliUsageException("--service-account-token-expiration must be greater than or equal to 1h0m0s");
        }

        if (expiration > MaximumExpiration)
        {
            throw new CliUsageException("--service-account-token-expiration must be less than or equal to 24h0m0s");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var clientId = run.Inputs.ApplicationClientId;
        if (string.IsNullOrEmpty(clientId))
        {
            clientId = run.Inputs.UsesUserAssignedIdentity
                ? await UserAssignedIdentityClientIdAsync(cancellationToken).ConfigureAwait(false)
                : await ApplicationClientIdAsync(cancellationToken).ConfigureAwait(false);
        }

        var annotations = new Dictionary<string, string>
        {
            [WorkloadIdentityAnnotations.ClientId] = clientId,
            [WorkloadIdentityAnnotations.TenantId] = azure.TenantId,
        };
        if (run.Inputs.TokenExpiration != MinimumExpiration)
        {
            annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration] =
                Math.Round(run.Inputs.TokenExpiration.TotalSeconds, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture);
        }

        var kubernetes = run.Connections.Kubernetes();
        var ns = run.Inputs.ServiceAccountNamespace;
        var saName = run.Inputs.ServiceAccountName!;
        V1ServiceAccount? existing = null;
        try
        {
            existing = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(saName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            var account = new V1ServiceAccount
            {
                Metadata = new V1ObjectMeta
                {
                    Name = saName,
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = WorkloadIdentityLabels.UseValue },
                    Annotations = annotations,
                },
            };
            await kubernetes.CoreV1.CreateNamespacedServiceAccountAsync(account, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            run.Log.Info("[service-account] created Kubernetes service account", ("name", saName), ("namespace", ns));
            return;
        }

        existing.Metadata.Labels ??= new Dictionary<string, string>();
        existing.Metadata.Annotations ??= new Dictionary<string, string>();
        var changed = Set(existing.Metadata.Labels, WorkloadIdentityLabels.Use, WorkloadIdentityLabels.UseValue);
        foreach (var (key, value) in annotations)
        {
            changed |= Set(existing.Metadata.Annotations, key, value);
        }

        if (run.Inputs.TokenExpiration == MinimumExpiration)
        {
            changed |= existing.Metadata.Annotations.Remove(WorkloadIdentityAnnotations.ServiceAccountTokenExpiration);
        }

        if (!changed)
        {
            run.Log.Info("[service-account] Kubernetes service account already up to date", ("name", saName), ("namespace", ns));
            return;
        }

        await kubernetes.CoreV1.ReplaceNamespacedServiceAccountAsync(existing, saName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        run.Log.Info("[service-account] updated Kubernetes service account", ("name", saName), ("namespace", ns));
    }

    private async Task<string> UserAssignedIdentityClientIdAsync(CancellationToken cancellationToken) =>
        (await run.UserAssignedIdentity.FindAsync(cancellationToken).ConfigureAwait(false))?.ClientId
        ?? throw new InvalidOperationException(
            $"user-assigned identity {run.Inputs.UserAssignedIdentityName} not found; run the aad-application phase first or pass --aad-application-client-id");

    private async Task<string> ApplicationClientIdAsync(CancellationToken cancellationToken)
    {
        var (name, application) = await run.Graph.FindNamedApplicationAsync(cancellationToken).ConfigureAwait(false);
        return application?.AppId
            ?? throw new InvalidOperationException($"application with display name '{name}' not found; run the aad-application phase first or pass --aad-application-client-id");
    }

    private static bool Set(IDictionary<string, string> map, string key, string value)
    {
        if (map.TryGetValue(key, out var current) && current == value)
        {
            return false;
        }

        map[key] = value;
        return true;
    }
}
