using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>
/// Deletes the application (Entra ID removes its service principal and credentials with it). With
/// <c>--user-assigned-identity-name</c> this phase is <see cref="UserAssignedIdentityDeletePhase"/> instead.
/// </summary>
internal sealed class AadApplicationDeletePhase(ServiceAccountRun run) : IPhase
{
    private string? _name;

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("aad-application", ["app"], "Delete the Azure Active Directory (AAD) application and its underlying service principal"),
        f => [f.ApplicationName, f.ApplicationObjectId, f.Name, f.Namespace, f.IssuerUrl, f.UserAssignedIdentityName, f.ResourceGroup],
        run => run.Inputs.UsesUserAssignedIdentity ? new UserAssignedIdentityDeletePhase(run) : new AadApplicationDeletePhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(run.Inputs.ApplicationObjectId))
        {
            return;
        }

        try
        {
            _name = await run.ApplicationName.ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException)
        {
            throw new CliUsageException("--aad-application-name or --aad-application-object-id is required");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var objectId = run.Inputs.ApplicationObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            objectId = (await run.Graph.FindApplicationAsync(_name!, cancellationToken).ConfigureAwait(false))?.Id;
            if (objectId is null)
            {
                run.Log.Warning("[aad-application] AAD application not found", ("name", _name));
                return;
            }
        }

        try
        {
            await azure.Graph.Applications[objectId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (error.Error?.Code == "Request_ResourceNotFound")
        {
            run.Log.Warning("[aad-application] AAD application not found", ("objectID", objectId));
            return;
        }

        run.Log.Info("[aad-application] deleted aad application", ("name", _name), ("objectID", objectId));
    }
}
