using System.Net;
using AzureWorkloadIdentity.Cli.Phases;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>Deletes the Kubernetes service account; one that is already gone is a warning.</summary>
public sealed class ServiceAccountDeletePhase(ServiceAccountContext context) : IPhase
{
    public string Name => "service-account";

    public string Alias => "sa";

    public string Description => "Delete the Kubernetes service account in the current KUBECONFIG context";

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        context.RequireServiceAccount();

        context.Kubernetes();
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await context.Kubernetes().CoreV1.DeleteNamespacedServiceAccountAsync(
                context.ServiceAccountName, context.ServiceAccountNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            context.Log.Warning("[service-account] service account not found", ("name", context.ServiceAccountName), ("namespace", context.ServiceAccountNamespace));
            return;
        }

        context.Log.Info("[service-account] deleted service account", ("name", context.ServiceAccountName), ("namespace", context.ServiceAccountNamespace));
    }
}
