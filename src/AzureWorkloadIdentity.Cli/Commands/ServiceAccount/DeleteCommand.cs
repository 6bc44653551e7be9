using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// <c>azwi serviceaccount delete</c>: role-assignment → federated-identity → service-account → aad-application.
/// Deleting the application deletes its credentials, so federated-identity is skipped when aad-application runs.
/// </summary>
public static class DeleteCommand
{
    public static readonly IReadOnlyDictionary<string, string[]> PhaseFlags = new Dictionary<string, string[]>
    {
        ["role-assignment"] = ["--role-assignment-id", "--azure-scope", "--azure-role", "--service-principal-name", "--service-principal-object-id", "--aad-application-name", "--service-account-name", "--service-account-namespace", "--service-account-issuer-url", "--user-assigned-identity-name", "--resource-group"],
        ["federated-identity"] = ["--service-account-namespace", "--service-account-name", "--service-account-issuer-url", "--aad-application-name", "--aad-application-object-id", "--user-assigned-identity-name", "--resource-group"],
        ["service-account"] = ["--service-account-namespace", "--service-account-name"],
        ["aad-application"] = ["--aad-application-name", "--aad-application-object-id", "--service-account-name", "--service-account-namespace", "--service-account-issuer-url", "--user-assigned-identity-name", "--resource-group"],
    };

    public static IReadOnlyList<IPhase> Phases(ServiceAccountContext context) =>
    [
        new RoleAssignmentDeletePhase(context),
        new FederatedIdentityDeletePhase(context),
        new ServiceAccountDeletePhase(context),
        new AadApplicationDeletePhase(context),
    ];

    public static ISet<string> AutoSkip(ISet<string> skip)
    {
        ArgumentNullException.ThrowIfNull(skip);
        if (!skip.Contains("aad-application"))
        {
            skip.Add("federated-identity");
        }

        return skip;
    }

    public static Command Create(CliServices services, Option<bool> debug, AuthenticationFlags authentication) =>
        ServiceAccountWorkflow.Build("delete", "Delete a workload identity", services, debug, authentication,
            Phases, ServiceAccountFlags.DeleteOptions, PhaseFlags, AutoSkip);
}
