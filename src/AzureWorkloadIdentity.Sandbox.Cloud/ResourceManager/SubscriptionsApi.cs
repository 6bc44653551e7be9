using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary><c>GET /subscriptions</c> and <c>GET /subscriptions/{id}</c>: the sandbox's one subscription.</summary>
internal static class SubscriptionsApi
{
    public static IResult Get(SandboxDirectory directory) => ArmJson.Result(Represent(directory));

    public static IResult List(SandboxDirectory directory) => ArmJson.List([Represent(directory)]);

    private static JsonObject Represent(SandboxDirectory directory) => new()
    {
        ["id"] = $"/subscriptions/{directory.SubscriptionId}",
        ["subscriptionId"] = directory.SubscriptionId,
        ["tenantId"] = directory.TenantId,
        ["displayName"] = "Workload Identity Sandbox",
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "Sandbox_2014-09-01",
            ["spendingLimit"] = "Off",
        },
        ["authorizationSource"] = "RoleBased",
    };
}
