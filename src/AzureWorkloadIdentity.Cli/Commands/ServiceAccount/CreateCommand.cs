using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary><c>azwi serviceaccount create</c>: aad-application → service-account → federated-identity → role-assignment.</summary>
internal static class CreateCommand
{
    public static IReadOnlyList<PhaseDefinition> Phases { get; } =
    [
        AadApplicationPhase.Definition,
        ServiceAccountPhase.Definition,
        FederatedIdentityPhase.Definition,
        RoleAssignmentPhase.Definition,
    ];

    public static IReadOnlyList<Option> HelpOrder(ServiceAccountFlags f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return [f.Name, f.Namespace, f.IssuerUrl, f.TokenExpiration, f.ApplicationName, f.ApplicationClientId, f.ApplicationObjectId,
            f.ServicePrincipalName, f.ServicePrincipalObjectId, f.AzureScope, f.AzureRole, f.UserAssignedIdentityName, f.ResourceGroup, f.Location];
    }

    public static Command Create(CliServices services, Option<bool> debug, AuthenticationFlags authentication) =>
        ServiceAccountWorkflow.Build("create", "Create a workload identity", services, debug, authentication, Phases, HelpOrder, autoSkip: null);
}
