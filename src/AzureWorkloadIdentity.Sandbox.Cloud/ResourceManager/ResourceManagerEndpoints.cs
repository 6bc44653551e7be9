using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>
/// The sandbox's Azure Resource Manager subset (base URL <c>https://127.0.0.1:PORT/</c>) over
/// <see cref="SandboxDirectory"/>: the subscription, resource groups, user-assigned identities and their federated
/// credentials, Key Vaults (control plane), resource providers, role definitions and role assignments. Every route
/// needs a bearer token for <c>https://management.azure.com/</c>; any api-version is accepted.
/// </summary>
public static class ResourceManagerEndpoints
{
    public static IEndpointRouteBuilder MapResourceManager(this IEndpointRouteBuilder endpoints, SandboxDirectory directory, IAccessTokenValidator tokens) =>
        endpoints.MapResourceManager(directory, tokens, new ResourceManagerOptions());

    public static IEndpointRouteBuilder MapResourceManager(
        this IEndpointRouteBuilder endpoints, SandboxDirectory directory, IAccessTokenValidator tokens, ResourceManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);

        var arm = endpoints.MapGroup("").AddEndpointFilter(new ArmAuthentication(directory, tokens, options));
        arm.MapGet("/subscriptions", () => SubscriptionsApi.List(directory));

        var subscription = arm.MapGroup("/subscriptions/{subscriptionId}").AddEndpointFilter(new SubscriptionFilter(directory));
        subscription.MapGet("", () => SubscriptionsApi.Get(directory));

        const string group = "/resourceGroups/{resourceGroupName}";
        subscription.MapGet("/resourceGroups", () => ResourceGroupsApi.List(directory));
        subscription.MapPut(group, (HttpRequest r, string resourceGroupName) => ResourceGroupsApi.PutAsync(r, directory, resourceGroupName));
        subscription.MapGet(group, (string resourceGroupName) => ResourceGroupsApi.Get(directory, resourceGroupName));
        subscription.MapDelete(group, (string resourceGroupName) => ResourceGroupsApi.Delete(directory, resourceGroupName));

        subscription.MapGet("/providers", () => ProvidersApi.List(directory));
        subscription.MapGet("/providers/{providerNamespace}", (string providerNamespace) => ProvidersApi.Get(directory, providerNamespace));
        subscription.MapPost("/providers/{providerNamespace}/register", (string providerNamespace) => ProvidersApi.Get(directory, providerNamespace));

        const string identities = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
        const string identity = identities + "/{identityName}";
        subscription.MapGet(identities, (string resourceGroupName) => UserAssignedIdentitiesApi.List(directory, resourceGroupName));
        subscription.MapPut(identity, (HttpRequest r, string resourceGroupName, string identityName) =>
            UserAssignedIdentitiesApi.PutAsync(r, directory, resourceGroupName, identityName));
        subscription.MapGet(identity, (string resourceGroupName, string identityName) =>
            UserAssignedIdentitiesApi.Get(directory, resourceGroupName, identityName));
        subscription.MapDelete(identity, (string resourceGroupName, string identityName) =>
            UserAssignedIdentitiesApi.Delete(directory, resourceGroupName, identityName));

        const string credentials = identity + "/federatedIdentityCredentials";
        const string credential = credentials + "/{credentialName}";
        subscription.MapGet(credentials, (string resourceGroupName, string identityName) =>
            IdentityFederatedCredentialsApi.List(directory, resourceGroupName, identityName));
        subscription.MapPut(credential, (HttpRequest r, string resourceGroupName, string identityName, string credentialName) =>
            IdentityFederatedCredentialsApi.PutAsync(r, directory, resourceGroupName, identityName, credentialName));
        subscription.MapGet(credential, (string resourceGroupName, string identityName, string credentialName) =>
            IdentityFederatedCredentialsApi.Get(directory, resourceGroupName, identityName, credentialName));
        subscription.MapDelete(credential, (string resourceGroupName, string identityName, string credentialName) =>
            IdentityFederatedCredentialsApi.Delete(directory, resourceGroupName, identityName, credentialName));

        const string vaults = group + "/providers/Microsoft.KeyVault/vaults";
        const string vault = vaults + "/{vaultName}";
        subscription.MapGet(vaults, (string resourceGroupName) => KeyVaultsApi.List(directory, options, resourceGroupName));
        subscription.MapPut(vault, (HttpRequest r, string resourceGroupName, string vaultName) =>
            KeyVaultsApi.PutAsync(r, directory, options, resourceGroupName, vaultName));
        subscription.MapGet(vault, (string resourceGroupName, string vaultName) => KeyVaultsApi.Get(directory, options, resourceGroupName, vaultName));
        subscription.MapDelete(vault, (string resourceGroupName, string vaultName) => KeyVaultsApi.Delete(directory, resourceGroupName, vaultName));
        subscription.MapPut(vault + "/accessPolicies/{operationKind}", (HttpRequest r, string resourceGroupName, string vaultName, string operationKind) =>
            KeyVaultsApi.UpdateAccessPoliciesAsync(r, directory, resourceGroupName, vaultName, operationKind));

        // Role definitions and assignments hang off any scope (tenant root, subscription, group, resource).
        arm.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete], (HttpRequest r, string? path) =>
            AuthorizationEndpoints.DispatchAsync(r, directory, options, path));
        return endpoints;
    }
}
