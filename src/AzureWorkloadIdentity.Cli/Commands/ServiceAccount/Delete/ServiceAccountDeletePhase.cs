using System.Net;
using AzureWorkloadIdentity.Cli.Phases;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>Deletes the Kubernetes service account; one that is already gone is a warning.</summary>
internal sealed class ServiceAccountDeletePhase(ServiceAccountRun run) : IPhase
{
    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("service-account", ["sa"], "Delete the Kubernetes service account in the current KUBECONFIG context"),
        f => [f.Namespace, f.Name],
        run => new ServiceAccountDeletePhase(run));

    public PhaseInfo Info => Definition.Info;

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        run.Inputs.RequireServiceAccount();

        run.Connections.Kubernetes();
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (name, ns) = (run.Inputs.ServiceAccountName, run.Inputs.ServiceAccountNamespace);
        try
        {
            await run.Connections.Kubernetes().CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            run.Log.Warning("[service-account] service account not found", ("name", name), ("namespace", ns));
            return;
        }

        run.Log.Info("[service-account] deleted service account", ("name", name), ("namespace", ns));
    }
}
