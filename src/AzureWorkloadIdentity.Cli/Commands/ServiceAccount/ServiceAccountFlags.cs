using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// Every flag of <c>serviceaccount create</c> / <c>delete</c> and their phases; a fresh set per command. Each phase
/// declares which of them it reads (<see cref="PhaseDefinition.Flags"/>).
/// </summary>
internal sealed class ServiceAccountFlags
{
    public Option<string> Name { get; } = new("--service-account-name") { Description = "Name of the service account" };

    public Option<string> Namespace { get; } = new("--service-account-namespace") { Description = "Namespace of the service account", DefaultValueFactory = _ => "default" };

    public Option<string> IssuerUrl { get; } = new("--service-account-issuer-url") { Description = "URL of the issuer (default: read from the cluster's /.well-known/openid-configuration)" };

    public Option<string> TokenExpiration { get; } = new("--service-account-token-expiration") { Description = "Expiration time of the service account token. Must be between 1 hour and 24 hours", DefaultValueFactory = _ => "1h0m0s" };

    public Option<string> ApplicationName { get; } = new("--aad-application-name") { Description = "Name of the AAD application, If not specified, the namespace, the name of the service account and the hash of the issuer URL will be used" };

    public Option<string> ApplicationClientId { get; } = new("--aad-application-client-id") { Description = "Client ID of the AAD application. If not specified, it will be fetched using the AAD application name" };

    public Option<string> ApplicationObjectId { get; } = new("--aad-application-object-id") { Description = "Object ID of the AAD application. If not specified, it will be fetched using the AAD application name" };

    public Option<string> ServicePrincipalName { get; } = new("--service-principal-name") { Description = "Name of the service principal that backs the AAD application. If this is not specified, the name of the AAD application will be used" };

    public Option<string> ServicePrincipalObjectId { get; } = new("--service-principal-object-id") { Description = "Object ID of the service principal that backs the AAD application. If not specified, it will be fetched using the service principal name" };

    public Option<string> AzureScope { get; } = new("--azure-scope") { Description = "Scope at which the role assignment or definition applies to" };

    public Option<string> AzureRole { get; } = new("--azure-role") { Description = "Role of the AAD application (see all available roles at https://docs.microsoft.com/en-us/azure/role-based-access-control/built-in-roles)" };

    public Option<string> RoleAssignmentId { get; } = new("--role-assignment-id") { Description = "Azure role assignment ID. If not specified, the role assignments of the service principal at --azure-scope (of --azure-role, if given) are looked up and deleted" };

    public Option<string> UserAssignedIdentityName { get; } = new("--user-assigned-identity-name") { Description = "Name of a user-assigned managed identity to use instead of an AAD application (with --resource-group)" };

    public Option<string> ResourceGroup { get; } = new("--resource-group") { Description = "Resource group of the user-assigned managed identity (created if missing)" };

    public Option<string> Location { get; } = new("--location") { Description = "Azure region for a new resource group and identity", DefaultValueFactory = _ => "eastus" };

    public Option<string[]> SkipPhases { get; } = new("--skip-phases") { Description = "List of phases to skip" };

    /// <summary>Reads the values of the flags the invoked command offers; a duration that does not parse is a usage error.</summary>
    public ServiceAccountInputs ReadInputs(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var expirationText = Value(parseResult, TokenExpiration) ?? "1h0m0s";
        if (!GoDuration.TryParse(expirationText, out var expiration))
        {
            throw new CliUsageException($"--service-account-token-expiration: \"{expirationText}\" is not a duration; use e.g. 1h, 90m or 24h0m0s");
        }

        return new ServiceAccountInputs
        {
            ServiceAccountName = Value(parseResult, Name),
            ServiceAccountNamespace = Value(parseResult, Namespace) ?? "default",
            IssuerUrl = Value(parseResult, IssuerUrl),
            TokenExpiration = expiration,
            ApplicationName = Value(parseResult, ApplicationName),
            ApplicationClientId = Value(parseResult, ApplicationClientId),
            ApplicationObjectId = Value(parseResult, ApplicationObjectId),
            ServicePrincipalName = Value(parseResult, ServicePrincipalName),
            ServicePrincipalObjectId = Value(parseResult, ServicePrincipalObjectId),
            AzureScope = Value(parseResult, AzureScope),
            AzureRole = Value(parseResult, AzureRole),
            RoleAssignmentId = Value(parseResult, RoleAssignmentId),
            UserAssignedIdentityName = Value(parseResult, UserAssignedIdentityName),
            ResourceGroup = Value(parseResult, ResourceGroup),
            Location = Value(parseResult, Location) ?? "eastus",
        };
    }

    // An option the invoked command does not have (a phase exposes only its own flags) reads as absent.
    private static string? Value(ParseResult parseResult, Option<string> option) =>
        parseResult.CommandResult.Command.Options.Contains(option) ? parseResult.GetValue(option) : null;
}
