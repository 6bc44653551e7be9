using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>Deletes the application (Entra ID removes its service principal and credentials with it).</summary>
public sealed class AadApplicationDeletePhase(ServiceAccountContext context) : IPhase
{
    private string? _name;

    public string Name => "aad-application";

    public string Alias => "app";

    public string Description => "Delete the Azure Active Directory (AAD) application and its underlying service principal";

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (context.IsManagedIdentity)
        {
            context.RequireResourceGroup();
            return;
        }

        if (!string.IsNullOrEmpty(context.ApplicationObjectId))
        {
            return;
        }

        try
        {
            _name = await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException)
        {
            throw new CliUsageException("--aad-application-name or --aad-application-object-id is required");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        if (context.IsManagedIdentity)
        {
            var status = await ManagedIdentityCalls.DeleteIdentityAsync(azure, context.ResourceGroup!, context.UserAssignedIdentityName!, cancellationToken).ConfigureAwait(false);
            if (status is 204 or 404)
            {
                context.Log.Warning("[aad-application] user-assigned identity not found", ("name", context.UserAssignedIdentityName));
            }
            else
            {
                context.Log.Info("[aad-application] deleted user-assigned identity", ("name", context.UserAssignedIdentityName), ("resourceGroup", context.ResourceGroup));
            }

            return;
        }

        var objectId = context.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            objectId = (await context.FindApplicationAsync(_name!, cancellationToken).ConfigureAwait(false))?.Id;
            if (objectId is null)
            {
                context.Log.Warning("[aad-application] AAD application not found", ("name", _name));
                return;
            }
        }

        try
        {
            await azure.Graph.Applications[objectId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (error.Error?.Code == "Request_ResourceNotFound")
        {
            context.Log.Warning("[aad-application] AAD application not found", ("objectID", objectId));
            return;
        }

        context.Log.Info("[aad-application] deleted aad application", ("name", _name), ("objectID", objectId));
    }
}
