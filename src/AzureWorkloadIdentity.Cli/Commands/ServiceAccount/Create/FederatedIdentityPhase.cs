using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>Adds the federated identity credential (issuer, subject, audience) to the application.</summary>
public sealed class FederatedIdentityPhase(ServiceAccountContext context) : IPhase
{
    private string _issuer = string.Empty;

    public string Name => "federated-identity";

    public string Alias => "fi";

    public string Description => "Create federated identity credential between the AAD application and the Kubernetes service account";

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
            var status = await ManagedIdentityCalls.PutCredentialAsync(
                azure, context.ResourceGroup!, context.UserAssignedIdentityName!, credentialName, _issuer, context.Subject, cancellationToken).ConfigureAwait(false);
            context.Log.Info(status == 201 ? "[federated-identity] added federated credential" : "[federated-identity] federated credential has been previously created",
                ("identity", context.UserAssignedIdentityName), ("subject", context.Subject));
            return;
        }

        var objectId = context.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            var name = await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
            objectId = (await context.FindApplicationAsync(name, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new InvalidOperationException($"application with display name '{name}' not found; run the aad-application phase first or pass --aad-application-object-id");
        }

        var ns = context.ServiceAccountNamespace;
        var saName = context.ServiceAccountName!;
        var credential = new FederatedIdentityCredential
        {
            Name = WorkloadIdentityNames.FederatedCredentialName(ns, saName, _issuer),
            Issuer = _issuer,
            Subject = context.Subject,
            Description = WorkloadIdentityNames.Description(ns, saName),
            Audiences = [WorkloadIdentityNames.Audience],
        };
        try
        {
            await azure.Graph.Applications[objectId].FederatedIdentityCredentials.PostAsync(credential, cancellationToken: cancellationToken).ConfigureAwait(false);
            context.Log.Info("[federated-identity] added federated credential", ("objectID", objectId), ("subject", context.Subject));
        }
        catch (ODataError error) when (error.Error?.Code == "Request_MultipleObjectsWithSameKeyValue")
        {
            context.Log.Info("[federated-identity] federated credential has been previously created", ("objectID", objectId), ("subject", context.Subject));
        }
    }
}
