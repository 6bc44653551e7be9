using AzureWorkloadIdentity.Cli.Commands.Version;
using AzureWorkloadIdentity.Cli.Phases;
using Microsoft.Graph.Models;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// Finds or creates the application and its service principal (looked up by display name). With
/// <c>--user-assigned-identity-name</c> this phase is <see cref="UserAssignedIdentityPhase"/> instead.
/// </summary>
internal sealed class AadApplicationPhase(ServiceAccountRun run) : IPhase
{
    private string _name = string.Empty;

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("aad-application", ["app"], "Create Azure Active Directory (AAD) application and its underlying service principal"),
        f => [f.ApplicationName, f.ServicePrincipalName, f.Name, f.Namespace, f.IssuerUrl, f.UserAssignedIdentityName, f.ResourceGroup, f.Location],
        run => run.Inputs.UsesUserAssignedIdentity ? new UserAssignedIdentityPhase(run) : new AadApplicationPhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        _name = await run.ApplicationName.ResolveAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var application = await run.Graph.FindApplicationAsync(_name, cancellationToken).ConfigureAwait(false);
        if (application is null)
        {
            application = await azure.Graph.Applications.PostAsync(new Application { DisplayName = _name }, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Microsoft Graph returned no application");
            run.Log.Info("[aad-application] created an AAD application", ("name", _name), ("clientID", application.AppId), ("objectID", application.Id));
        }
        else
        {
            run.Log.Info("[aad-application] AAD application already exists", ("name", _name), ("clientID", application.AppId), ("objectID", application.Id));
        }

        var principalName = run.Inputs.ServicePrincipalName;
        if (string.IsNullOrEmpty(principalName))
        {
            run.Log.Warning("--service-principal-name not specified, falling back to AAD application name");
            principalName = _name;
        }

        var principal = await run.Graph.FindServicePrincipalAsync(principalName, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            var (version, commit) = VersionCommand.Read(typeof(AadApplicationPhase).Assembly);
            principal = await azure.Graph.ServicePrincipals.PostAsync(
                new ServicePrincipal { AppId = application.AppId, Tags = [$"azwi version: {version}, commit: {commit}"] },
                cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Microsoft Graph returned no service principal");
            run.Log.Info("[aad-application] created service principal", ("name", principalName), ("clientID", principal.AppId), ("objectID", principal.Id));
        }
        else
        {
            run.Log.Info("[aad-application] service principal already exists", ("name", principalName), ("clientID", principal.AppId), ("objectID", principal.Id));
        }
    }
}
