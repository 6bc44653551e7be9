namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The flag values of one create/delete invocation and the checks on them alone. A flag the invoked command does not
/// offer (a phase subcommand offers only its own) is null.
/// </summary>
internal sealed record ServiceAccountInputs
{
    public string? ServiceAccountName { get; init; }

    public string ServiceAccountNamespace { get; init; } = "default";

    public string? IssuerUrl { get; init; }

    public TimeSpan TokenExpiration { get; init; } = TimeSpan.FromHours(1);

    public string? ApplicationName { get; init; }

    public string? ApplicationClientId { get; init; }

    public string? ApplicationObjectId { get; init; }

    public string? ServicePrincipalName { get; init; }

    public string? ServicePrincipalObjectId { get; init; }

    public string? AzureScope { get; init; }

    public string? AzureRole { get; init; }

    public string? RoleAssignmentId { get; init; }

    /// <summary>A user-assigned managed identity instead of an application (with <see cref="ResourceGroup"/>).</summary>
    public string? UserAssignedIdentityName { get; init; }

    public string? ResourceGroup { get; init; }

    public string Location { get; init; } = "eastus";

    public bool UsesUserAssignedIdentity => !string.IsNullOrEmpty(UserAssignedIdentityName);

    public string Subject => WorkloadIdentityNames.Subject(ServiceAccountNamespace, ServiceAccountName!);

    /// <summary>Every phase that touches the service account or its federated credential needs both names.</summary>
    public void RequireServiceAccount()
    {
        if (string.IsNullOrEmpty(ServiceAccountNamespace))
        {
            throw new CliUsageException("--service-account-namespace is required");
        }

        if (string.IsNullOrEmpty(ServiceAccountName))
        {
            throw new CliUsageException("--service-account-name is required");
        }
    }

    public void RequireResourceGroup()
    {
        if (string.IsNullOrEmpty(ResourceGroup))
        {
            throw new CliUsageException("--resource-group is required with --user-assigned-identity-name");
        }
    }
}
