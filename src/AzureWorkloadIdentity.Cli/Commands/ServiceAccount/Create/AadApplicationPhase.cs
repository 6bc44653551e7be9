using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Commands.Version;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>Finds or creates the application and its service principal (looked up by display name).</summary>
public sealed class AadApplicationPhase(ServiceAccountContext context) : IPhase
{
    private string _name = string.Empty;

    public string Name => "aad-application";

    public string Alias => "app";

    public string Description => "Create Azure Active Directory (AAD) application and its underlying service principal";

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (context.IsManagedIdentity)
        {
            context.RequireResourceGroup();
            return;
        }

        _name = await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        if (context.IsManagedIdentity)
        {
            await EnsureIdentityAsync(azure, cancellationToken).ConfigureAwait(false);
            return;
        }

        var application = await context.FindApplicationAsync(_name, cancellationToken).ConfigureAwait(false);
        if (application is null)
        {
            application = await azure.Graph.Applications.PostAsync(new Application { DisplayName = _name }, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Microsoft Graph returned no application");
            context.Log.Info("[aad-application] created an AAD application", ("name", _name), ("clientID", application.AppId), ("objectID", application.Id));
        }
        else
        {
            context.Log.Info("[aad-application] AAD application already exists", ("name", _name), ("clientID", application.AppId), ("objectID", application.Id));
        }

        var principalName = context.ServicePrincipalName;
        if (string.IsNullOrEmpty(principalName))
        {
            context.Log.Warning("--service-principal-name not specified, falling back to AAD application name");
            principalName = _name;
        }

        var principal = await context.FindServicePrincipalAsync(principalName, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            var (version, commit) = VersionCommand.Read(typeof(AadApplicationPhase).Assembly);
            principal = await azure.Graph.ServicePrincipals.PostAsync(
                new ServicePrincipal { AppId = application.AppId, Tags = [$"azwi version: {version}, commit: {commit}"] },
                cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Microsoft Graph returned no service principal");
            context.Log.Info("[aad-application] created service principal", ("name", principalName), ("clientID", principal.AppId), ("objectID", principal.Id));
        }
        else
        {
            context.Log.Info("[aad-application] service principal already exists", ("name", principalName), ("clientID", principal.AppId), ("objectID", principal.Id));
        }
    }

    private async Task EnsureIdentityAsync(AzureConnection azure, CancellationToken cancellationToken)
    {
        var group = context.ResourceGroup!;
        var name = context.UserAssignedIdentityName!;
        var (location, createdGroup) = await ManagedIdentityCalls.EnsureResourceGroupAsync(azure, group, context.Location, cancellationToken).ConfigureAwait(false);
        if (createdGroup)
        {
            context.Log.Info("[aad-application] created resource group", ("resourceGroup", group), ("location", location));
        }

        var identity = await ManagedIdentityCalls.GetIdentityAsync(azure, group, name, cancellationToken).ConfigureAwait(false);
        if (identity is not null)
        {
            var (clientId, principalId) = ServiceAccountContext.IdsOf(identity);
            context.Log.Info("[aad-application] user-assigned identity already exists", ("name", name), ("clientID", clientId), ("principalID", principalId));
            return;
        }

        identity = await ManagedIdentityCalls.CreateIdentityAsync(azure, group, name, location, cancellationToken).ConfigureAwait(false);
        var (newClientId, newPrincipalId) = ServiceAccountContext.IdsOf(identity!);
        context.Log.Info("[aad-application] created user-assigned identity", ("name", name), ("clientID", newClientId), ("principalID", newPrincipalId));
    }
}
