using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>
/// Deletes the federated credential whose subject and issuer match exactly: the application's through Graph, or the
/// user-assigned identity's (by its derived name) through Resource Manager.
/// </summary>
internal sealed class FederatedIdentityDeletePhase(ServiceAccountRun run) : IPhase
{
    private string _issuer = string.Empty;

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("federated-identity", ["fi"], "Delete federated identity credential for the AAD application and the Kubernetes service account"),
        f => [f.Namespace, f.Name, f.IssuerUrl, f.ApplicationName, f.ApplicationObjectId, f.UserAssignedIdentityName, f.ResourceGroup],
        run => new FederatedIdentityDeletePhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        _issuer = await FederatedIdentityPreRun.CheckAsync(run, cancellationToken).ConfigureAwait(false);
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        run.Inputs.UsesUserAssignedIdentity ? DeleteFromUserAssignedIdentityAsync(cancellationToken) : DeleteFromApplicationAsync(cancellationToken);

    private async Task DeleteFromUserAssignedIdentityAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var inputs = run.Inputs;
        var credentialName = WorkloadIdentityNames.ManagedIdentityCredentialName(inputs.ServiceAccountNamespace, inputs.ServiceAccountName!, _issuer);
        var status = await ManagedIdentityCalls.DeleteCredentialAsync(azure, inputs.ResourceGroup!, inputs.UserAssignedIdentityName!, credentialName, cancellationToken).ConfigureAwait(false);
        if (status is 204 or 404)
        {
            WarnNotFound();
        }
        else
        {
            LogDeleted();
        }
    }

    private async Task DeleteFromApplicationAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var objectId = run.Inputs.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            var (name, application) = await run.Graph.FindNamedApplicationAsync(cancellationToken).ConfigureAwait(false);
            objectId = application?.Id;
            if (objectId is null)
            {
                run.Log.Warning("[federated-identity] AAD application not found, nothing to delete", ("name", name));
                return;
            }
        }

        try
        {
            var credentials = await azure.Graph.Applications[objectId].FederatedIdentityCredentials.GetAsync(
                r => r.QueryParameters.Filter = ODataFilter.Equal("subject", run.Inputs.Subject), cancellationToken).ConfigureAwait(false);
            var match = credentials?.Value?.FirstOrDefault(c => c.Issuer == _issuer);
            if (match is null)
            {
                WarnNotFound();
                return;
            }

            await azure.Graph.Applications[objectId].FederatedIdentityCredentials[match.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (error.Error?.Code == "Request_ResourceNotFound")
        {
            WarnNotFound();
            return;
        }

        LogDeleted();
    }

    private void WarnNotFound() =>
        run.Log.Warning("[federated-identity] federated identity credential not found", ("issuerURL", _issuer), ("subject", run.Inputs.Subject));

    private void LogDeleted() =>
        run.Log.Info("[federated-identity] deleted federated identity credential", ("issuerURL", _issuer), ("subject", run.Inputs.Subject));
}
