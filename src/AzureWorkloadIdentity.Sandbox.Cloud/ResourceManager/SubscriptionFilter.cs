using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Answers 404 <c>SubscriptionNotFound</c> for any subscription but the sandbox's one.</summary>
internal sealed class SubscriptionFilter(SandboxDirectory directory) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var id = context.HttpContext.Request.RouteValues["subscriptionId"] as string;
        return string.Equals(id, directory.SubscriptionId, StringComparison.OrdinalIgnoreCase)
            ? await next(context)
            : NotFound(id ?? "");
    }

    public static IResult NotFound(string id) =>
        ArmError.Create(StatusCodes.Status404NotFound, "SubscriptionNotFound", $"The subscription '{id}' could not be found.");
}
