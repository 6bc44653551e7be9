using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// <c>azwi serviceaccount delete</c>: role-assignment → federated-identity → service-account → aad-application.
/// Deleting the application deletes its credentials, so federated-identity is skipped when aad-application runs.
/// </summary>
internal static class DeleteCommand
{
    public static IReadOnlyList<PhaseDefinition> Phases { get; } =
    [
        RoleAssignmentDeletePhase.Definition,
        FederatedIdentityDeletePhase.Definition,
        ServiceAccountDeletePhase.Definition,
        AadApplicationDeletePhase.Definition,
    ];

    public static IReadOnlyList<Option> HelpOrder(ServiceAccountFlags f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return [f.Name, f.Namespace, f.IssuerUrl, f.ApplicationName, f.ApplicationObjectId, f.RoleAssignmentId, f.AzureScope, f.AzureRole,
            f.ServicePrincipalName, f.ServicePrincipalObjectId, f.UserAssignedIdentityName, f.ResourceGroup];
    }

    public static void AutoSkip(ISet<string> skip)
    {
        ArgumentNullException.ThrowIfNull(skip);
        if (!skip.Contains(AadApplicationDeletePhase.Definition.Info.Name))
        {
            skip.Add(FederatedIdentityDeletePhase.Definition.Info.Name);
        }
    }

    public static Command Create(CliServices services, Option<bool> debug, AuthenticationFlags authentication) =>
        ServiceAccountWorkflow.Build("delete", "Delete a workload identity", services, debug, authentication, Phases, HelpOrder, AutoSkip);
}
