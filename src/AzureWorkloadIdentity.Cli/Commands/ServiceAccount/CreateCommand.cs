using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary><c>azwi serviceaccount create</c>: aad-application → service-account → federated-identity → role-assignment.</summary>
public static class CreateCommand
{
    public static readonly IReadOnlyDictionary<string, string[]> PhaseFlags = new Dictionary<string, string[]>
    {
        ["aad-application"] = ["--aad-application-name", "--service-principal-name", "--service-account-name", "--service-account-namespace", "--service-account-issuer-url", "--user-assigned-identity-name", "--resource-group", "--location"],
        ["service-account"] = ["--service-account-namespace", "--service-account-name", "--service-account-token-expiration", "--aad-application-name", "--aad-application-client-id", "--service-account-issuer-url", "--user-assigned-identity-name", "--resource-group"],
        ["federated-identity"] = ["--service-account-namespace", "--service-account-name", "--service-account-issuer-url", "--aad-application-name", "--aad-application-object-id", "--user-assigned-identity-name", "--resource-group"],
        ["role-assignment"] = ["--azure-scope", "--azure-role", "--service-principal-name", "--service-principal-object-id", "--aad-application-name", "--service-account-name", "--service-account-namespace", "--service-account-issuer-url", "--user-assigned-identity-name", "--resource-group"],
    };

    public static IReadOnlyList<IPhase> Phases(ServiceAccountContext context) =>
    [
        new AadApplicationPhase(context),
        new ServiceAccountPhase(context),
        new FederatedIdentityPhase(context),
        new RoleAssignmentPhase(context),
    ];

    public static Command Create(CliServices services, Option<bool> debug, AuthenticationFlags authentication) =>
        ServiceAccountWorkflow.Build("create", "Create a workload identity", services, debug, authentication,
            Phases, ServiceAccountFlags.CreateOptions, PhaseFlags, autoSkip: null);
}
