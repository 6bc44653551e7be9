using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// Adds the federated identity credential (issuer, subject, audience) to the application through Graph, or to the
/// user-assigned identity through Resource Manager.
/// </summary>
internal sealed class FederatedIdentityPhase(ServiceAccountRun run) : IPhase
{
    private string _issuer = string.Empty;

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("federated-identity", ["fi"], "Create federated identity credential between the AAD application and the Kubernetes service account"),
        f => [f.Namespace, f.Name, f.IssuerUrl, f.ApplicationName, f.ApplicationObjectId, f.UserAssignedIdentityName, f.ResourceGroup],
        run => new FederatedIdentityPhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        _issuer = await FederatedIdentityPreRun.CheckAsync(run, cancellationToken).ConfigureAwait(false);
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        run.Inputs.UsesUserAssignedIdentity ? AddToUserAssignedIdentityAsync(cancellationToken) : AddToApplicationAsync(cancellationToken);

    private async Task AddToUserAssignedIdentityAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var inputs = run.Inputs;
        var credentialName = WorkloadIdentityNames.ManagedIdentityCredentialName(inputs.ServiceAccountNamespace, inputs.ServiceAccountName!, _issuer);
        var status = await ManagedIdentityCalls.PutCredentialAsync(
            azure, inputs.ResourceGroup!, inputs.UserAssignedIdentityName!, credentialName, _issuer, inputs.Subject, cancellationToken).ConfigureAwait(false);
        run.Log.Info(status == 201 ? "[federated-identity] added federated credential" : "[federated-identity] federated credential has been previously created",
            ("identity", inputs.UserAssignedIdentityName), ("subject", inputs.Subject));
    }

    private async Task AddToApplicationAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var inputs = run.Inputs;
        var objectId = inputs.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            var (name, application) = await run.Graph.FindNamedApplicationAsync(cancellationToken).ConfigureAwait(false);
            objectId = application?.Id
                ?? throw new InvalidOperationException($"application with display name '{name}' not found; run the aad-application phase first or pass --aad-application-object-id");
        }

        var ns = inputs.ServiceAccountNamespace;
        var saName = inputs.ServiceAccountName!;
        var credential = new FederatedIdentityCredential
        {
            Name = WorkloadIdentityNames.FederatedCredentialName(ns, saName, _issuer),
            Issuer = _issuer,
            Subject = inputs.Subject,
            Description = WorkloadIdentityNames.Description(ns, saName),
            Audiences = [WorkloadIdentityNames.Audience],
        };
        try
        {
            await azure.Graph.Applications[objectId].FederatedIdentityCredentials.PostAsync(credential, cancellationToken: cancellationToken).ConfigureAwait(false);
            run.Log.Info("[federated-identity] added federated credential", ("objectID", objectId), ("subject", inputs.Subject));
        }
        catch (ODataError error) when (error.Error?.Code == "Request_MultipleObjectsWithSameKeyValue")
        {
            run.Log.Info("[federated-identity] federated credential has been previously created", ("objectID", objectId), ("subject", inputs.Subject));
        }
    }
}
