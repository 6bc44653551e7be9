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
public sealed class ServiceAccountPhase(ServiceAccountContext context) : IPhase
{
    public static readonly TimeSpan MinimumExpiration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaximumExpiration = TimeSpan.FromHours(24);

    public string Name => "service-account";

    public string Alias => "sa";

    public string Description =>
        "Create Kubernetes service account in the current KUBECONFIG context and add azure-workload-identity labels and annotations to it";

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        context.RequireServiceAccount();

        ValidateExpiration(context.TokenExpiration);
        if (context.IsManagedIdentity)
        {
            context.RequireResourceGroup();
        }

        context.Kubernetes();
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
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        var clientId = context.ApplicationClientId;
        if (string.IsNullOrEmpty(clientId) && context.IsManagedIdentity)
        {
            clientId = (await context.FindIdentityAsync(cancellationToken).ConfigureAwait(false))?.ClientId
                ?? throw new InvalidOperationException($"user-assigned identity {context.UserAssignedIdentityName} not found; run the aad-application phase first or pass --aad-application-client-id");
        }
        else if (string.IsNullOrEmpty(clientId))
        {
            var name = await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
            clientId = (await context.FindApplicationAsync(name, cancellationToken).ConfigureAwait(false))?.AppId
                ?? throw new InvalidOperationException($"application with display name '{name}' not found; run the aad-application phase first or pass --aad-application-client-id");
        }

        var annotations = new Dictionary<string, string>
        {
            [WorkloadIdentityAnnotations.ClientId] = clientId,
            [WorkloadIdentityAnnotations.TenantId] = azure.TenantId,
        };
        if (context.TokenExpiration != MinimumExpiration)
        {
            annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration] =
                Math.Round(context.TokenExpiration.TotalSeconds, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture);
        }

        var kubernetes = context.Kubernetes();
        var ns = context.ServiceAccountNamespace;
        var saName = context.ServiceAccountName!;
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
            context.Log.Info("[service-account] created Kubernetes service account", ("name", saName), ("namespace", ns));
            return;
        }

        existing.Metadata.Labels ??= new Dictionary<string, string>();
        existing.Metadata.Annotations ??= new Dictionary<string, string>();
        var changed = Set(existing.Metadata.Labels, WorkloadIdentityLabels.Use, WorkloadIdentityLabels.UseValue);
        foreach (var (key, value) in annotations)
        {
            changed |= Set(existing.Metadata.Annotations, key, value);
        }

        if (context.TokenExpiration == MinimumExpiration)
        {
            changed |= existing.Metadata.Annotations.Remove(WorkloadIdentityAnnotations.ServiceAccountTokenExpiration);
        }

        if (!changed)
        {
            context.Log.Info("[service-account] Kubernetes service account already up to date", ("name", saName), ("namespace", ns));
            return;
        }

        await kubernetes.CoreV1.ReplaceNamespacedServiceAccountAsync(existing, saName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Log.Info("[service-account] updated Kubernetes service account", ("name", saName), ("namespace", ns));
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
