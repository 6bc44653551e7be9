using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>Deletes the application's federated credential whose subject and issuer match exactly.</summary>
public sealed class FederatedIdentityDeletePhase(ServiceAccountContext context) : IPhase
{
    private string _issuer = string.Empty;

    public string Name => "federated-identity";

    public string Alias => "fi";

    public string Description => "Delete federated identity credential for the AAD application and the Kubernetes service account";

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        _issuer = await context.FederatedIdentityIssuerAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        if (context.IsManagedIdentity)
        {
            var credentialName = WorkloadIdentityNames.ManagedIdentityCredentialName(context.ServiceAccountNamespace, context.ServiceAccountName!, _issuer);
            var status = await ManagedIdentityCalls.DeleteCredentialAsync(azure, context.ResourceGroup!, context.UserAssignedIdentityName!, credentialName, cancellationToken).ConfigureAwait(false);
            if (status is 204 or 404)
            {
                context.Log.Warning("[federated-identity] federated identity credential not found", ("issuerURL", _issuer), ("subject", context.Subject));
            }
            else
            {
                context.Log.Info("[federated-identity] deleted federated identity credential", ("issuerURL", _issuer), ("subject", context.Subject));
            }

            return;
        }

        var objectId = context.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            var name = await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
            objectId = (await context.FindApplicationAsync(name, cancellationToken).ConfigureAwait(false))?.Id;
            if (objectId is null)
            {
                context.Log.Warning("[federated-identity] AAD application not found, nothing to delete", ("name", name));
                return;
            }
        }

        try
        {
            var credentials = await azure.Graph.Applications[objectId].FederatedIdentityCredentials.GetAsync(
                r => r.QueryParameters.Filter = ODataFilter.Equal("subject", context.Subject), cancellationToken).ConfigureAwait(false);
            var match = credentials?.Value?.FirstOrDefault(c => c.Issuer == _issuer);
            if (match is null)
            {
                context.Log.Warning("[federated-identity] federated identity credential not found", ("issuerURL", _issuer), ("subject", context.Subject));
                return;
            }

            await azure.Graph.Applications[objectId].FederatedIdentityCredentials[match.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (error.Error?.Code == "Request_ResourceNotFound")
        {
            context.Log.Warning("[federated-identity] federated identity credential not found", ("issuerURL", _issuer), ("subject", context.Subject));
            return;
        }

        context.Log.Info("[federated-identity] deleted federated identity credential", ("issuerURL", _issuer), ("subject", context.Subject));
    }
}
