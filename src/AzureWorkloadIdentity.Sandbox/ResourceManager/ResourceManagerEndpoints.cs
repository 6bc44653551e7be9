using AzureWorkloadIdentity.Sandbox.Directory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

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
        return endpoints;
    }
}
